import { createServiceApp, natsPlugin, packageVersion } from '@pharma/shared/fastify';
import type { Logger } from '@pharma/shared/logger';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { healthRoutes } from './routes/health.routes.js';

export async function buildApp(config: Config, logger: Logger): Promise<FastifyInstance> {
  const app = await createServiceApp({ service: 'gateway', version: packageVersion(import.meta.url), logger });
  await app.register(natsPlugin, config.nats);
  await app.register(healthRoutes, config.health);
  return app;
}
