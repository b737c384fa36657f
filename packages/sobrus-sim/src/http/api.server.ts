import type { FastifyInstance } from 'fastify';
import type { SimContext } from './context.js';
import { createOrigin } from './origin.js';
import { registerStatementRoute } from './statement.routes.js';
import { listVariant } from './variants/index.js';

/** The api origin (api.pharma.sobrus.com): the statement PDF, and the list JSON of the variants that serve it here. */
export async function createApiServer(context: SimContext): Promise<FastifyInstance> {
  const api = await createOrigin(context, 'api');
  // The app's pages may call the api origin from the browser with credentials.
  api.addHook('onSend', async (_request, reply, payload) => {
    reply.header('access-control-allow-origin', context.urls.app);
    reply.header('access-control-allow-credentials', 'true');
    return payload;
  });
  listVariant(context.site).registerApi?.(api, context);
  registerStatementRoute(api, context);
  return api;
}
