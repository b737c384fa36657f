import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import { acceptCorrelationId, type Logger, withCorrelationId } from '../logger/index.js';
import { errorHandlerPlugin } from './error-handler.plugin.js';
import { metricsPlugin } from './metrics.plugin.js';
import { type ReadinessChecks, readinessPlugin } from './readiness.plugin.js';

declare module 'fastify' {
  interface FastifyInstance {
    service: { name: string; version: string; startedAt: number };
    readiness: ReadinessChecks;
  }
}

export interface CreateServiceAppOptions {
  service: string;
  version: string;
  logger: Logger;
  fastify?: Partial<FastifyServerOptions>;
}

/** A Fastify instance with the platform's common parts: request ids, error shape, /healthz, /readyz, /metrics. */
export async function createServiceApp({
  service,
  version,
  logger,
  fastify = {},
}: CreateServiceAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger,
    // The request id is the correlation id: the caller's (`x-correlation-id`, else `x-request-id`) when it is
    // safe to log and forward, else a new one. It names every log line of the request and whatever it starts.
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'correlationId' }),
    genReqId: (request) =>
      acceptCorrelationId(request.headers['x-correlation-id']) ??
      acceptCorrelationId(request.headers['x-request-id']) ??
      randomUUID(),
    forceCloseConnections: 'idle',
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
    ...fastify,
  }) as unknown as FastifyInstance;
  app.decorate('service', { name: service, version, startedAt: Date.now() });
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-correlation-id', request.id);
    reply.header('x-request-id', request.id);
    // The rest of the request (hooks, handler, RPC requests, events, jobs) runs under its id.
    withCorrelationId(String(request.id), done);
  });
  await app.register(errorHandlerPlugin);
  await app.register(readinessPlugin);
  await app.register(metricsPlugin);
  return app;
}
