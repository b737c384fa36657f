import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp as buildAuth } from '@pharma/auth/dist/app.js';
import { loadConfig as loadAuthConfig } from '@pharma/auth/dist/config.js';
import { authLoginRpc } from '@pharma/shared/contracts';
import { type Job, JobStore, publishEvent, requestRpc } from '@pharma/shared/messaging';
import {
  DEMO_ACCOUNT,
  type FaultSettings,
  type RunningSimulator,
  type SiteVariant,
  startSimulator,
} from '@pharma/sobrus-sim';
import {
  type CapturedLogs,
  captureLogs,
  createTestDatabase,
  createTestNats,
  finishedJob,
  type TestDatabase,
  type TestNats,
} from '@pharma/testkit';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
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

/** Logs the simulator's demo pharmacy in through auth, so the scraper finds a Sobrus session for it. */
export function loginDemoPharmacy(stack: Stack, timeoutMs = 30_000) {
  return requestRpc(
    stack.nats.ctx,
    authLoginRpc,
    { email: DEMO_ACCOUNT.email, password: DEMO_ACCOUNT.password },
    { timeoutMs },
  );
}

/** Asks for a customers refresh of a pharmacy, as the gateway does, and waits for its job to end. */
export async function refreshCustomers(stack: Stack, pharmacyId: string, timeoutMs = 50_000): Promise<Job> {
  const jobId = randomUUID();
  await publishEvent(
    stack.nats.ctx,
    'sobrus.clients.refresh.requested',
    { jobId, pharmacyId, requestedAt: new Date().toISOString() },
    { msgId: jobId },
  );
  return finishedJob(stack.jobs, jobId, { timeoutMs });
}

/** Asks for a statements refresh, as the gateway does, and answers its job id at once. */
export async function requestStatements(
  stack: Stack,
  request: { pharmacyId: string; from: string; to: string; clientKeys?: string[] },
): Promise<string> {
  const jobId = randomUUID();
  await publishEvent(
    stack.nats.ctx,
    'sobrus.statements.refresh.requested',
    { jobId, ...request, requestedAt: new Date().toISOString() },
    { msgId: jobId },
  );
  return jobId;
}

/** Exactly the truth: every customer once, keyed by client key, homonyms and long names intact. */
export function expectTheTruth(
  customers: readonly { clientKey: string }[],
  truth: readonly { clientKey: string }[],
): void {
  expect(customers).toHaveLength(truth.length);
  expect(new Set(customers.map((c) => c.clientKey)).size).toBe(truth.length);
  const byKey = new Map(customers.map((c) => [c.clientKey, c]));
  for (const expected of truth) expect(byKey.get(expected.clientKey)).toEqual(expected);
}

/** Every file under a folder, as text (binary files are searched as latin1). */
export async function filesText(folder: string): Promise<string> {
  const parts: string[] = [];
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) parts.push((await readFile(join(entry.parentPath, entry.name))).toString('latin1'));
  }
  return parts.join('\n');
}
