import type { FastifyInstance } from 'fastify';
import type { SimContext } from './context.js';
import { registerCustomersJson } from './customers.routes.js';
import { createOrigin } from './origin.js';
import { registerStatementRoute } from './statement.routes.js';

/** The api origin (api.pharma.sobrus.com): cookie-authenticated JSON and the statement PDF. */
export async function createApiServer(context: SimContext): Promise<FastifyInstance> {
  const api = await createOrigin(context, 'api');
  // The app's pages may call the api origin from the browser with credentials.
  api.addHook('onSend', async (_request, reply, payload) => {
    reply.header('access-control-allow-origin', context.urls.app);
    reply.header('access-control-allow-credentials', 'true');
    return payload;
  });
  registerCustomersJson(api, context, '/customers');
  registerStatementRoute(api, context);
  return api;
}
