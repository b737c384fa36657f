import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createServiceApp, natsPlugin, packageVersion, postgresPlugin } from '@pharma/shared/fastify';
import type { Logger } from '@pharma/shared/logger';
import { JobStore } from '@pharma/shared/messaging';
import { schedulesPlugin } from '@pharma/shared/schedules';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { consumeRunRequests } from './consumers/run-requested.consumer.js';
import { consumeScanCompleted } from './consumers/scan-completed.consumer.js';
import { SCRIPT_WORKER_ENTRY } from './consumers/script-worker.consumer.js';
import { withAsyncCommit } from './db/commit-durability.js';
import { loadTargetHeader } from './files/target-header.js';
import { runStopPlugin } from './plugins/run-stop.plugin.js';
import { scriptRunnersPlugin } from './plugins/script-runners.plugin.js';
import { serveOrchestratorRpc } from './rpc/orchestrator.handlers.js';
import { resolvePython } from './runner/python-interpreter.js';
import { natsRunEvents } from './services/run-events.js';
import type { RunJobDeps } from './services/run-job.service.js';
import { scheduledRun } from './services/scheduled-run.js';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));

export async function buildApp(config: Config, logger: Logger): Promise<FastifyInstance> {
  const app = await createServiceApp({ service: 'orchestrator', version: packageVersion(import.meta.url), logger });
  // First of the close hooks: runs stop claiming before anything waits for them (see the plugin).
  await app.register(runStopPlugin, {
    graceMs: config.runner.stopGraceMs,
    stopScripts: () => app.scriptRunners.stopRunning(),
  });
  await app.register(postgresPlugin, {
    ...config.postgres,
    url: withAsyncCommit(config.postgres.url),
    migrationsFolder: MIGRATIONS_FOLDER,
  });
  await app.register(natsPlugin, config.nats);
  const runner = { ...config.runner, python: await resolvePython(config.runner.python) };
  // The script worker threads run module scripts, then find, check and move each output to "ready to load".
  await app.register(scriptRunnersPlugin, { config: runner, workerEntry: SCRIPT_WORKER_ENTRY });
  await Promise.all([runner.finalDir, runner.readyDir].map((dir) => mkdir(dir, { recursive: true })));
  app.readiness.add('orchestrator-folders', async () => {
    await access(runner.finalDir, constants.W_OK);
    await access(runner.readyDir, constants.W_OK);
    return { ok: true };
  });

  const jobs = await JobStore.open(app.nats);
  const deps: RunJobDeps = {
    pool: app.pg,
    config: runner,
    runScript: app.scriptRunners.run,
    header: await loadTargetHeader(),
    events: natsRunEvents(app.nats),
    jobs,
    nats: app.nats,
    logger: app.log,
    stopSignal: app.runStopSignal,
  };
  const subscriptions = serveOrchestratorRpc({ nats: app.nats, pool: app.pg, jobs, logger: app.log });
  app.addHook('preClose', async () => {
    for (const subscription of subscriptions) subscription.unsubscribe();
  });
  app.ownConsumer(await consumeRunRequests(deps));
  if (config.runOnScan) app.ownConsumer(await consumeScanCompleted(deps));
  if (config.schedule.enabled) {
    await app.register(schedulesPlugin, { schedules: [scheduledRun(config.schedule.cron, deps, app.log)] });
  }
  return app;
}
