import { fileURLToPath } from 'node:url';
import { createServiceApp, natsPlugin, packageVersion, postgresPlugin } from '@pharma/shared/fastify';
import type { Logger } from '@pharma/shared/logger';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));

export async function buildApp(config: Config, logger: Logger): Promise<FastifyInstance> {
  const app = await createServiceApp({ service: 'file-registry', version: packageVersion(import.meta.url), logger });
  await app.register(postgresPlugin, { ...config.postgres, migrationsFolder: MIGRATIONS_FOLDER });
  await app.register(natsPlugin, config.nats);
  return app;
}
