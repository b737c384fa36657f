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
import { runScanJob, type ScanAsJob } from './services/scan-job.service.js';
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
  // A scan: walk the tree, keep the files that are stable, register them, announce them (runScanJob → runScan).
  const scan: ScanAsJob = (jobId, correlationId, requestedBy) =>
    runScanJob(scanDeps, jobId, correlationId, requestedBy);
  app.ownConsumer(await consumeScanRequests({ nats: app.nats, logger: app.log }, scan));
  if (config.schedule.enabled) {
    const schedule = scheduledScan(config.schedule.cron, { jobs, log: app.log }, scan);
    await app.register(schedulesPlugin, { schedules: [schedule] });
  }
  await app.register(async (scope) => registryRoutes(scope, { nats: app.nats, db, jobs, config, logger: app.log }));
  return app;
}
