import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Logger } from '../logger/index.js';
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
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    forceCloseConnections: 'idle',
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
    ...fastify,
  }) as unknown as FastifyInstance;
  app.decorate('service', { name: service, version, startedAt: Date.now() });
  await app.register(errorHandlerPlugin);
  await app.register(readinessPlugin);
  await app.register(metricsPlugin);
  return app;
}
