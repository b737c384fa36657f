import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp as buildAuth } from '@pharma/auth/dist/app.js';
import { loadConfig as loadAuthConfig } from '@pharma/auth/dist/config.js';
import {
  consumeEvents,
  type EventPayload,
  type EventSubject,
  isFinal,
  type Job,
  JobStore,
  type NatsContext,
} from '@pharma/shared/messaging';
import { type FaultSettings, type RunningSimulator, type SiteVariant, startSimulator } from '@pharma/sobrus-sim';
import {
  type CapturedLogs,
  captureLogs,
  createTestDatabase,
  createTestNats,
  eventually,
  type TestDatabase,
  type TestNats,
  uniqueName,
} from '@pharma/testkit';
import type { FastifyInstance } from 'fastify';
import { buildApp as buildScraper } from '../src/app.js';
import { loadConfig as loadScraperConfig } from '../src/config.js';

export const TODAY = '2026-06-30';

export interface Stack {
  sim: RunningSimulator;
  db: TestDatabase;
  nats: TestNats;
  auth: FastifyInstance;
  scrapers: FastifyInstance[];
  jobs: JobStore;
  logs: CapturedLogs;
  authDataDir: string;
  authEnv: Record<string, string>;
  close(): Promise<void>;
}

export interface StackOptions {
  /** The shape of the simulated site (default `classic`). */
  site?: SiteVariant;
  customers?: number;
  faults?: FaultSettings;
  scraperEnv?: Record<string, string>;
  authEnv?: Record<string, string>;
  scraperInstances?: number;
}

/** The simulator, one auth and one or more scraper instances on a fresh database and NATS prefix. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const [db, nats, sim, authDataDir] = await Promise.all([
    createTestDatabase(),
    createTestNats(),
    startSimulator({
      seed: 'scraper-tests',
      customers: options.customers ?? 259,
      today: TODAY,
      ...(options.site ? { site: options.site } : {}),
      ...(options.faults ? { faults: options.faults } : {}),
    }),
    mkdtemp(join(tmpdir(), 'auth-data-')),
  ]);
  const logs = captureLogs('stack');
  const common = { NATS_URL: nats.url, NATS_PREFIX: nats.prefix, LOG_LEVEL: 'debug', SOBRUS_APP_URL: sim.appUrl };
  const authEnv = { ...common, DATABASE_URL: db.url, AUTH_DATA_DIR: authDataDir, ...options.authEnv };
  const auth = await buildAuth(loadAuthConfig(authEnv), logs.logger.child({ service: 'auth' }));
  const scrapers: FastifyInstance[] = [];
  for (let i = 0; i < (options.scraperInstances ?? 1); i++) {
    const env = { ...common, SOBRUS_API_URL: sim.apiUrl, ...options.scraperEnv };
    scrapers.push(await buildScraper(loadScraperConfig(env), logs.logger.child({ service: `scraper${i}` })));
  }
  const jobs = await JobStore.open(nats.ctx);
  return {
    sim,
    db,
    nats,
    auth,
    scrapers,
    jobs,
    logs,
    authDataDir,
    authEnv,
    async close() {
      await Promise.allSettled(scrapers.map((scraper) => scraper.close()));
      await auth.close().catch(() => {});
      await sim.close();
      await nats.cleanup();
      await db.drop();
      await rm(authDataDir, { recursive: true, force: true });
    },
  };
}

export async function collectEvents<S extends EventSubject>(ctx: NatsContext, subject: S) {
  const received: EventPayload<S>[] = [];
  const consumer = await consumeEvents(ctx, {
    subject,
    durable: uniqueName('collect'),
    logger: captureLogs().logger,
    concurrency: 16,
    handler: async (payload) => void received.push(payload),
  });
  return { received, stop: () => consumer.stop() };
}

export function finished(jobs: JobStore, jobId: string, timeoutMs = 50_000): Promise<Job> {
  return eventually(
    async () => {
      const job = await jobs.require(jobId);
      if (!isFinal(job)) throw new Error(`job ${jobId} is ${job.status} (${job.progress.done}/${job.progress.total})`);
      return job;
    },
    { timeoutMs, intervalMs: 100 },
  );
}

/** Every file under a folder, as text (binary files are searched as latin1). */
export async function filesText(folder: string): Promise<string> {
  const parts: string[] = [];
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) parts.push((await readFile(join(entry.parentPath, entry.name))).toString('latin1'));
  }
  return parts.join('\n');
}
