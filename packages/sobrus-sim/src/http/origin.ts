import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { SimContext } from './context.js';
import { installFaultHooks } from './fault-hooks.js';

/** One of the simulated origins (app, api, accounts): cookies, form bodies, faults and a health route. */
export async function createOrigin(context: SimContext, name: string): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: context.log.child({ origin: name }) as unknown as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: true,
    ajv: { customOptions: { coerceTypes: true, allErrors: false } },
  }) as unknown as FastifyInstance;
  await app.register(cookie);
  await app.register(formbody);
  installFaultHooks(app, context);
  app.get('/health', async () => ({ status: 'ok', origin: name }));
  return app;
}
