import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp as buildAuth } from '@pharma/auth/dist/app.js';
import { loadConfig as loadAuthConfig } from '@pharma/auth/dist/config.js';
import { authLoginRpc } from '@pharma/shared/contracts';
import { createLogger } from '@pharma/shared/logger';
import { connectNats, isFinal, type Job, JobStore, publishEvent, requestRpc } from '@pharma/shared/messaging';
import { DEMO_ACCOUNT, type FaultSettings, type SimulatorOptions, startSimulator } from '@pharma/sobrus-sim';
import pg from 'pg';
import { buildApp as buildScraper } from '../src/app.js';
import { loadConfig as loadScraperConfig } from '../src/config.js';

/**
 * Simulator + auth + scraper in one process for the benchmarks, on a throw-away database and NATS prefix of
 * the local servers (DATABASE_URL and NATS_URL, defaults 127.0.0.1).
 */
export async function startBenchStack(
  faults: FaultSettings,
  scraperEnv: Record<string, string> = {},
  site: Pick<SimulatorOptions, 'site' | 'customers' | 'pageSize'> = {},
) {
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  const name = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${name}`;
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-auth-'));
  const sim = await startSimulator({ seed: 'bench', customers: 259, ...site, faults });
  const logger = createLogger({ service: 'bench', level: 'warn', pretty: false, destination: process.stderr });
  const common = { NATS_URL: natsUrl, NATS_PREFIX: name, SOBRUS_APP_URL: sim.appUrl, LOG_LEVEL: 'warn' };
  const authEnv = {
    ...common,
    DATABASE_URL: dbUrl.toString(),
    AUTH_DATA_DIR: dataDir,
    AUTH_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  };
  const auth = await buildAuth(loadAuthConfig(authEnv), logger);
  await auth.ready();
  const scraper = await buildScraper(
    loadScraperConfig({ ...common, SOBRUS_API_URL: sim.apiUrl, ...scraperEnv }),
    logger,
  );
  const nats = await connectNats({ url: natsUrl, name: 'bench', prefix: name });
  const jobs = await JobStore.open(nats);
  const pharmacyId = DEMO_ACCOUNT.email;

  async function waitJob(jobId: string): Promise<Job> {
    for (;;) {
      const job = await jobs.get(jobId);
      if (job && isFinal(job)) return job;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  return {
    sim,
    pharmacyId,
    login: () =>
      requestRpc(nats, authLoginRpc, { email: pharmacyId, password: DEMO_ACCOUNT.password }, { timeoutMs: 60_000 }),
    async refreshClients(): Promise<Job> {
      const jobId = randomUUID();
      await publishEvent(
        nats,
        'sobrus.clients.refresh.requested',
        { jobId, pharmacyId, requestedAt: new Date().toISOString() },
        { msgId: jobId },
      );
      return waitJob(jobId);
    },
    async refreshStatements(from: string, to: string): Promise<Job> {
      const jobId = randomUUID();
      await publishEvent(
        nats,
        'sobrus.statements.refresh.requested',
        { jobId, pharmacyId, from, to, requestedAt: new Date().toISOString() },
        { msgId: jobId },
      );
      return waitJob(jobId);
    },
    async close() {
      await scraper.close();
      await auth.close();
      await sim.close();
      for await (const stream of nats.jsm.streams.names()) {
        if (stream.includes(name)) await nats.jsm.streams.delete(stream).catch(() => {});
      }
      await nats.nc.close();
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
