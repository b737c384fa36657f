import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildApp as buildScraper } from '@pharma/scraper/dist/app.js';
import { loadConfig as loadScraperConfig } from '@pharma/scraper/dist/config.js';
import { startOrchestratorRunRpc } from '@pharma/shared/contracts';
import { JobStore, serveRpc } from '@pharma/shared/messaging';
import { DEMO_ACCOUNT, HISTORY_START, type RunningSimulator, startSimulator } from '@pharma/sobrus-sim';
import {
  captureLogs,
  createTestBucket,
  createTestDatabase,
  createTestNats,
  eventually,
  type TestBucket,
  type TestDatabase,
  type TestNats,
} from '@pharma/testkit';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTempRoot,
  putFile,
  registryEnv,
  startRegistry,
} from '../../../../services/file-registry/test/helpers.js';
import { startGateway } from '../../../../services/gateway/test/helpers.js';
import { buildApp as buildPdfProcessor } from '../../../../services/pdf-processor/src/app.js';
import { loadConfig as loadPdfConfig } from '../../../../services/pdf-processor/src/config.js';
import { buildApp as buildSalesEtl } from '../../../../services/sales-etl/src/app.js';
import { loadConfig as loadSalesConfig } from '../../../../services/sales-etl/src/config.js';
import { type CsvServer, startCsvServer } from '../../../../services/sales-etl/test/helpers/csv-server.js';
import { PRODUCTS_CSV, SALES_CSV, STORES_CSV } from '../../../../services/sales-etl/test/helpers/fixtures.js';
import { startStorageSync, tempDir } from '../../../../services/storage-sync/test/helpers.js';
import { startAuthService } from '../../../web/test/e2e/auth-service.js';

const BIN = resolve(import.meta.dirname, '../../bin/pharma.js');
const TODAY = '2025-06-30';
const PHARMACY = { email: DEMO_ACCOUNT.email, password: DEMO_ACCOUNT.password };
const OPS = { email: 'ops@pharma.test', password: 'ops-secret-42', role: 'ops' as const };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('pharma CLI against the running stack', () => {
  let nats: TestNats;
  let db: TestDatabase;
  let authDb: TestDatabase;
  let auth: { close(): Promise<void> } | undefined;
  let bucket: TestBucket;
  let sim: RunningSimulator;
  let url: string;
  let intake: Awaited<ReturnType<typeof createTempRoot>>;
  const apps: FastifyInstance[] = [];
  const storageDir = tempDir('cli-storage-');
  const salesDir = tempDir('cli-sales-');
  let csvServer: CsvServer | undefined;
  const home = mkdtempSync(join(tmpdir(), 'cli-home-'));
  const staffHome = mkdtempSync(join(tmpdir(), 'cli-staff-'));

  function pharma(args: string[], options: { stdin?: string; configDir?: string; env?: Record<string, string> } = {}) {
    return new Promise<Run>((done) => {
      const child = execFile(
        process.execPath,
        [BIN, ...args],
        {
          env: {
            PATH: process.env.PATH,
            PHARMA_URL: url,
            PHARMA_CONFIG_DIR: options.configDir ?? home,
            ...options.env,
          },
        },
        (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
      child.stdin?.end(options.stdin ?? '');
    });
  }

  beforeAll(async () => {
    nats = await createTestNats();
    db = await createTestDatabase();
    authDb = await createTestDatabase();
    bucket = await createTestBucket();
    sim = await startSimulator({ seed: 'cli', today: TODAY });
    intake = await createTempRoot();
    await putFile(intake.root, 'Сети/2025/05/Аптека А/Продажи/may.csv');
    const logger = captureLogs('cli-test').logger;
    apps.push(
      await startStorageSync({
        natsUrl: nats.url,
        prefix: nats.prefix,
        s3: bucket.s3,
        bucket: bucket.bucket,
        dataDir: storageDir,
        logger,
      }),
    );
    const pdf = await buildPdfProcessor(
      loadPdfConfig({ NATS_URL: nats.url, NATS_PREFIX: nats.prefix, PDF_PROCESSOR_THREADS: '1' }),
      logger,
    );
    await pdf.ready();
    apps.push(pdf);
    csvServer = await startCsvServer();
    csvServer.route('/produits.csv', { body: PRODUCTS_CSV });
    csvServer.route('/magasins.csv', { body: STORES_CSV });
    csvServer.route('/ventes.csv', { body: SALES_CSV });
    const sales = await buildSalesEtl(
      loadSalesConfig({
        NATS_URL: nats.url,
        NATS_PREFIX: nats.prefix,
        SALES_DATA_DIR: salesDir,
        SALES_ALLOW_PRIVATE_URLS: 'true',
        SALES_FETCH_RETRIES: '0',
      }),
      logger,
    );
    await sales.ready();
    apps.push(sales);
    const registry = await startRegistry(registryEnv(db, nats, intake.root));
    await registry.ready();
    apps.push(registry);
    const scraper = await buildScraper(
      loadScraperConfig({
        NATS_URL: nats.url,
        NATS_PREFIX: nats.prefix,
        SOBRUS_APP_URL: sim.appUrl,
        SOBRUS_API_URL: sim.apiUrl,
      }),
      logger,
    );
    await scraper.ready();
    apps.push(scraper);
    auth = await startAuthService({
      natsUrl: nats.url,
      prefix: nats.prefix,
      databaseUrl: authDb.url,
      sobrusAppUrl: sim.appUrl,
      logger,
      staff: [OPS],
    });
    const gateway = await startGateway({ natsUrl: nats.url, prefix: nats.prefix, logger });
    await gateway.listen({ host: '127.0.0.1', port: 0 });
    apps.push(gateway);
    url = `http://127.0.0.1:${(gateway.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
    await auth?.close();
    await sim?.close();
    await nats?.cleanup();
    await db?.drop();
    await authDb?.drop();
    bucket?.client.destroy();
    await intake?.remove();
    await csvServer?.close();
    for (const dir of [storageDir, salesDir, home, staffHome]) rmSync(dir, { recursive: true, force: true });
  });

  it('tells usage errors (2), wrong credentials (3), no session (3) and an unreachable gateway (4) apart', async () => {
    expect((await pharma([])).code).toBe(2);
    expect((await pharma(['frobnicate'])).code).toBe(2);
    expect((await pharma(['statements', 'refresh', '--from', '2024'])).code).toBe(2);
    expect((await pharma(['whoami'])).code).toBe(3);
    const wrong = await pharma(['login', '--email', PHARMACY.email, '--password-stdin'], { stdin: 'nope\n' });
    expect(wrong.code).toBe(3);
    const away = await pharma(['whoami'], { env: { PHARMA_URL: 'http://127.0.0.1:1' } });
    expect(away.code).toBe(4);
    expect(away.stderr).toContain('Cannot reach the gateway');
  });

  it('logs in from stdin and keeps only the token, in a file only the user can read', async () => {
    const login = await pharma(['login', '--email', PHARMACY.email, '--password-stdin', '--json'], {
      stdin: `${PHARMACY.password}\n`,
    });
    expect(login.code).toBe(0);
    expect(JSON.parse(login.stdout)).toMatchObject({ owner: PHARMACY.email, role: 'pharmacy' });
    const file = join(home, 'session.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const saved = readFileSync(file, 'utf8');
    expect(saved).not.toContain(PHARMACY.password);
    expect(JSON.parse(saved).token).toMatch(/.{20,}/);
    expect((await pharma(['whoami'])).stdout).toContain(PHARMACY.email);
  });

  it('refreshes customers following the job with a progress bar, or as JSON', async () => {
    const text = await pharma(['clients', 'refresh']);
    expect(text.code).toBe(0);
    expect(text.stderr).toMatch(/\[#+-*\] \d+\/\d+ running/);
    expect(text.stdout).toMatch(/clients\.refresh succeeded: \d+\/\d+ .*259/);
    const json = await pharma(['clients', 'refresh', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ kind: 'clients.refresh', status: 'succeeded' });
    expect(json.stdout).toContain('259');
  });

  it('refreshes one customer statement by name and exports its transactions as CSV', async () => {
    const customer = sim.truth
      .customers(PHARMACY.email)
      .find((c, i, all) => i > 5 && all.filter((o) => o.name === c.name).length === 1);
    if (!customer) throw new Error('no customer with a unique name');
    const refresh = await pharma([
      'statements',
      'refresh',
      '--from',
      HISTORY_START,
      '--to',
      TODAY,
      '--client',
      customer.name,
    ]);
    expect(refresh.code).toBe(0);
    const truth = await sim.truth.statement({
      account: PHARMACY.email,
      customerId: customer.clientKey,
      startDate: HISTORY_START,
      endDate: TODAY,
    });
    const out = join(home, 'export.csv');
    await eventually(
      async () => {
        const exported = await pharma(['export', 'csv', '--client', customer.name, '--out', out]);
        expect(exported.code).toBe(0);
        const lines = readFileSync(out, 'utf8').trim().split(/\r?\n/);
        expect(lines).toHaveLength(truth.transactions.length + 1);
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    const stdout = await pharma(['export', 'csv', '--client', customer.clientKey, '--sep', ',']);
    expect(stdout.stdout.split(/\r?\n/)[0]).toContain(',');
    expect((await pharma(['export', 'csv', '--client', 'Nobody Atall'])).code).toBe(2);
  });

  it('needs a staff session for a registry scan (3 for a pharmacy), then runs it', async () => {
    expect((await pharma(['registry', 'scan'])).code).toBe(3);
    const login = await pharma(['login', '--email', OPS.email, '--password-stdin'], {
      stdin: OPS.password,
      configDir: staffHome,
    });
    expect(login.code).toBe(0);
    const scan = await pharma(['registry', 'scan', '--json'], { configDir: staffHome });
    expect(scan.code).toBe(0);
    expect(JSON.parse(scan.stdout)).toMatchObject({ kind: 'registry.scan', status: 'succeeded' });
  });

  it('imports sales CSV files, telling the kind of each file from its name', async () => {
    const urls = ['/produits.csv', '/magasins.csv', '/ventes.csv'].map((path) => csvServer!.url(path));
    const run = await pharma(['sales', 'import', ...urls, '--json'], { configDir: staffHome });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ kind: 'sales.import', status: 'succeeded' });
    const unclear = await pharma(['sales', 'import', csvServer!.url('/data.csv')], { configDir: staffHome });
    expect(unclear.code).toBe(2);
  });

  it('exits 1 with the per-item errors when the job fails, and can start without waiting', async () => {
    // The orchestrator's start RPC, answered here: this test is about how the CLI reports a failed job.
    const jobs = await JobStore.open(nats.ctx);
    let n = 0;
    const orchestrator = serveRpc(nats.ctx, startOrchestratorRunRpc, {
      logger: captureLogs().logger,
      handler: async ({ requestedBy }) => {
        const job = await jobs.create({ id: `run-${++n}`, kind: 'orchestrator.run', owner: requestedBy ?? 'system' });
        return { jobId: job.id };
      },
    });
    try {
      const started = pharma(['orchestrator', 'run'], { configDir: staffHome });
      await eventually(async () => expect(await jobs.get('run-1')).toBeDefined());
      await jobs.update('run-1', () => ({
        status: 'failed',
        errors: [{ item: 'task-7', code: 'CONVERSION_FAILED', message: 'sheet missing' }],
      }));
      const run = await started;
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('task-7: CONVERSION_FAILED sheet missing');
      const noWait = await pharma(['orchestrator', 'run', '--no-wait', '--json'], { configDir: staffHome });
      expect(noWait.code).toBe(0);
      expect(JSON.parse(noWait.stdout)).toMatchObject({ id: 'run-2', kind: 'orchestrator.run', status: 'queued' });
    } finally {
      orchestrator.unsubscribe();
    }
  });

  it('logs out and forgets the session', async () => {
    expect((await pharma(['logout'])).code).toBe(0);
    expect((await pharma(['whoami'])).code).toBe(3);
  });
});
