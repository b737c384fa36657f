import { createServiceApp, natsPlugin, packageVersion } from '@pharma/shared/fastify';
import type { Logger } from '@pharma/shared/logger';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { storagePlugin } from './plugins/storage.plugin.js';

export async function buildApp(config: Config, logger: Logger): Promise<FastifyInstance> {
  const app = await createServiceApp({ service: 'storage-sync', version: packageVersion(import.meta.url), logger });
  await app.register(natsPlugin, config.nats);
  await app.register(storagePlugin, { config });
  return app;
}
