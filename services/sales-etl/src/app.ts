import { createServiceApp, natsPlugin, packageVersion } from '@pharma/shared/fastify';
import type { Logger } from '@pharma/shared/logger';
import { JobStore } from '@pharma/shared/messaging';
import { schedulesPlugin } from '@pharma/shared/schedules';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { consumeImportRequests } from './consumers/import-requested.consumer.js';
import { openSalesDatabase, type SalesDatabase } from './db/sales-database.js';
import { markInterruptedRuns } from './repositories/runs.repository.js';
import { serveSalesRpc } from './rpc/sales.rpc-handlers.js';
import { createImportSchedules, type ImportSchedules } from './scheduler/import-schedules.js';
import type { ImportJobDeps } from './services/import-job.js';

declare module 'fastify' {
  interface FastifyInstance {
    salesDb: SalesDatabase;
    importSchedules: ImportSchedules;
  }
}

export async function buildApp(config: Config, logger: Logger): Promise<FastifyInstance> {
  const app = await createServiceApp({ service: 'sales-etl', version: packageVersion(import.meta.url), logger });
  await app.register(natsPlugin, config.nats);

  const db = openSalesDatabase(config.dataDir);
  app.decorate('salesDb', db);
  const interrupted = markInterruptedRuns(db.write);
  if (interrupted > 0) app.log.warn({ runs: interrupted }, 'imports interrupted by the last stop marked failed');
  app.readiness.add('sqlite', () => {
    db.reader.prepare('SELECT 1').get();
    return { ok: true };
  });

  const deps: ImportJobDeps = {
    db,
    fetch: config.fetch,
    revenueTolerance: config.validation.revenueTolerance,
    logger: app.log,
    nats: app.nats,
    jobs: await JobStore.open(app.nats),
  };
  // Stopped before close (a run under way is waited for); saved schedules are set only when enabled, and the
  // ones created or deleted over NATS change at once.
  await app.register(schedulesPlugin);
  const importSchedules = createImportSchedules(app.schedules, deps, app.log.child({ module: 'scheduler' }));
  app.decorate('importSchedules', importSchedules);
  if (config.schedulesEnabled) importSchedules.load();

  const subscriptions = serveSalesRpc(deps, importSchedules, app.log);
  app.ownConsumer(await consumeImportRequests(deps, app.log));

  app.addHook('preClose', async () => {
    for (const subscription of subscriptions) subscription.unsubscribe();
  });
  // Runs after the consumers stopped (natsPlugin's preClose), so no import holds the writer any more.
  app.addHook('onClose', async () => {
    await db.writeLock.run(() => db.close());
  });
  return app;
}
