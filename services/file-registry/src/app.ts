import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createServiceApp, natsPlugin, packageVersion, postgresPlugin } from '@pharma/shared/fastify';
import type { Logger } from '@pharma/shared/logger';
import { JobStore } from '@pharma/shared/messaging';
import { schedulesPlugin } from '@pharma/shared/schedules';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { consumeScanRequests } from './consumers/scan-requested.consumer.js';
import { createRegistryDb } from './db/client.js';
import { registryRoutes } from './routes/registry.routes.js';
import { serveRegistryRpc } from './rpc/registry.handlers.js';
import { natsScanEvents } from './services/registry-events.js';
import { scheduledScan } from './services/scheduled-scan.js';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));

export async function buildApp(config: Config, logger: Logger): Promise<FastifyInstance> {
  const app = await createServiceApp({ service: 'file-registry', version: packageVersion(import.meta.url), logger });
  await app.register(postgresPlugin, { ...config.postgres, migrationsFolder: MIGRATIONS_FOLDER });
  await app.register(natsPlugin, config.nats);

  // The intake folder exists from the first start; an empty root never marks registered files deleted.
  await mkdir(config.scanner.root, { recursive: true });
  app.readiness.add('registry-root', async () => {
    await access(config.scanner.root, constants.R_OK | constants.X_OK);
    return { ok: true };
  });
  const db = createRegistryDb(app.pg);
  const jobs = await JobStore.open(app.nats);
  const scanDeps = {
    pool: app.pg,
    db,
    nats: app.nats,
    jobs,
    events: natsScanEvents(app.nats, config.scanner.publishConcurrency),
    config,
    logger: app.log,
  };
  const subscriptions = serveRegistryRpc({ nats: app.nats, db, jobs, config, logger: app.log });
  app.addHook('preClose', async () => {
    for (const subscription of subscriptions) subscription.unsubscribe();
  });
  app.ownConsumer(await consumeScanRequests(scanDeps));
  if (config.schedule.enabled) {
    await app.register(schedulesPlugin, { schedules: [scheduledScan(config.schedule.cron, scanDeps, app.log)] });
  }
  await app.register(async (scope) => registryRoutes(scope, { nats: app.nats, db, jobs, config, logger: app.log }));
  return app;
}
