// The running platform the CLI tests drive: a gateway on a real port with the real auth, scraper,
// pdf-processor, storage-sync, file-registry and sales-etl services, and the Sobrus simulator. Each test file
// starts its own (own database, NATS prefix and bucket) and runs `pharma` against it as a child process.
import { type ChildProcess, execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildApp as buildScraper } from '@pharma/scraper/dist/app.js';
import { loadConfig as loadScraperConfig } from '@pharma/scraper/dist/config.js';
import { DEMO_ACCOUNT, type RunningSimulator, startSimulator } from '@pharma/sobrus-sim';
import {
  captureLogs,
  createTestBucket,
  createTestDatabase,
  createTestNats,
  type TestBucket,
  type TestDatabase,
  type TestNats,
} from '@pharma/testkit';
import type { FastifyInstance } from 'fastify';
import {
  createTempRoot,
  putFile,
  registryEnv,
  startRegistry,
} from '../../../../services/file-registry/test/helpers.js';
import { startGateway } from '../../../../services/gateway/test/helpers.js';
import { buildApp as buildOrchestrator } from '../../../../services/orchestrator/src/app.js';
import { loadConfig as loadOrchestratorConfig } from '../../../../services/orchestrator/src/config.js';
import { createFolders, orchestratorEnv } from '../../../../services/orchestrator/test/helpers.js';
import { buildApp as buildPdfProcessor } from '../../../../services/pdf-processor/src/app.js';
import { loadConfig as loadPdfConfig } from '../../../../services/pdf-processor/src/config.js';
import { buildApp as buildSalesEtl } from '../../../../services/sales-etl/src/app.js';
import { loadConfig as loadSalesConfig } from '../../../../services/sales-etl/src/config.js';
import { type CsvServer, startCsvServer } from '../../../../services/sales-etl/test/helpers/csv-server.js';
import { PRODUCTS_CSV, SALES_CSV, STORES_CSV } from '../../../../services/sales-etl/test/helpers/fixtures.js';
import { startStorageSync, tempDir } from '../../../../services/storage-sync/test/helpers.js';
import { startAuthService } from '../../../web/test/e2e/auth-service.js';

const BIN = resolve(import.meta.dirname, '../../bin/pharma.js');
export const TODAY = '2025-06-30';
export const PHARMACY = { email: DEMO_ACCOUNT.email, password: DEMO_ACCOUNT.password };
export const OPS = { email: 'ops@pharma.test', password: 'ops-secret-42', role: 'ops' as const };
export const ADMIN = { email: 'admin@pharma.test', password: 'admin-secret-42', role: 'admin' as const };

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export interface PharmaOptions {
  stdin?: string;
  configDir?: string;
  env?: Record<string, string>;
}

/** A `pharma` child still running: its output so far, and how it ended once it has. */
export interface RunningPharma {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  done: Promise<Run>;
}

export interface Stack {
  url: string;
  nats: TestNats;
  sim: RunningSimulator;
  csvServer: CsvServer;
  /** Session folder of the pharmacy (the default) and of the ops account. */
  home: string;
  staffHome: string;
  pharma(args: string[], options?: PharmaOptions): Promise<Run>;
  spawnPharma(args: string[], options?: PharmaOptions): RunningPharma;
  /** Whether the gateway has been asked for this job's event stream (its request log names the path). */
  streamRequested(jobId: string): boolean;
  /** Logs both accounts in, each in its own session folder. */
  loginBoth(): Promise<void>;
  /** Closes every connection to the gateway (its event streams break), which keeps listening. */
  dropConnections(): void;
  /** Closes the gateway (its open event streams end) and starts another on the same port. */
  restartGateway(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `orchestrator: true` adds the real orchestrator (over the registry's database and intake tree); without it a
 * test may answer the orchestrator's start RPC itself.
 */
export async function startStack(options: { seed: string; orchestrator?: boolean }): Promise<Stack> {
  const nats = await createTestNats();
  const db: TestDatabase = await createTestDatabase();
  const authDb: TestDatabase = await createTestDatabase();
  const bucket: TestBucket = await createTestBucket();
  const sim = await startSimulator({ seed: options.seed, today: TODAY });
  const intake = await createTempRoot();
  await putFile(intake.root, 'Сети/2025/05/Аптека А/Продажи/may.csv');
  const logger = captureLogs('cli-test').logger;
  const storageDir = tempDir('cli-storage-');
  const salesDir = tempDir('cli-sales-');
  const home = mkdtempSync(join(tmpdir(), 'cli-home-'));
  const staffHome = mkdtempSync(join(tmpdir(), 'cli-staff-'));
  const apps: FastifyInstance[] = [];
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
  const csvServer = await startCsvServer();
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
  const folders = options.orchestrator ? await createFolders() : undefined;
  if (folders) {
    const orchestrator = await buildOrchestrator(
      loadOrchestratorConfig(
        orchestratorEnv(db.url, folders, {
          NATS_URL: nats.url,
          NATS_PREFIX: nats.prefix,
          REGISTRY_ROOT: intake.root,
          ORCHESTRATOR_RUN_ON_SCAN: 'false',
        }),
      ),
      logger,
    );
    await orchestrator.ready();
    apps.push(orchestrator);
  }
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
  const auth = await startAuthService({
    natsUrl: nats.url,
    prefix: nats.prefix,
    databaseUrl: authDb.url,
    sobrusAppUrl: sim.appUrl,
    logger,
    staff: [OPS, ADMIN],
  });
  const gatewayLogs = captureLogs('gateway');
  const gatewayOptions = { natsUrl: nats.url, prefix: nats.prefix, logger: gatewayLogs.logger };
  let gateway = await startGateway(gatewayOptions);
  await gateway.listen({ host: '127.0.0.1', port: 0 });
  const port = (gateway.server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  function spawnPharma(args: string[], options: PharmaOptions = {}): RunningPharma {
    let stdout = '';
    let stderr = '';
    let child: ChildProcess | undefined;
    const done = new Promise<Run>((finish) => {
      child = execFile(
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
        (error, out, err) =>
          finish({ code: error ? Number(error.code ?? 1) : 0, stdout: out.toString(), stderr: err.toString() }),
      );
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.stdin?.end(options.stdin ?? '');
    });
    return { child: child as unknown as ChildProcess, stdout: () => stdout, stderr: () => stderr, done };
  }

  const pharma = (args: string[], options?: PharmaOptions) => spawnPharma(args, options).done;

  return {
    url,
    nats,
    sim,
    csvServer,
    home,
    staffHome,
    pharma,
    spawnPharma,
    streamRequested: (jobId) => gatewayLogs.text().includes(`/api/jobs/${encodeURIComponent(jobId)}/events`),
    async loginBoth() {
      const pharmacy = await pharma(['login', '--email', PHARMACY.email, '--password-stdin'], {
        stdin: PHARMACY.password,
      });
      const ops = await pharma(['login', '--email', OPS.email, '--password-stdin'], {
        stdin: OPS.password,
        configDir: staffHome,
      });
      if (pharmacy.code !== 0 || ops.code !== 0) throw new Error(`login failed: ${pharmacy.stderr} ${ops.stderr}`);
    },
    dropConnections() {
      gateway.server.closeAllConnections();
    },
    async restartGateway() {
      await gateway.close();
      gateway = await startGateway(gatewayOptions);
      await gateway.listen({ host: '127.0.0.1', port });
    },
    async close() {
      await gateway.close();
      for (const app of apps.reverse()) await app.close();
      await auth.close();
      await sim.close();
      await nats.cleanup();
      await db.drop();
      await authDb.drop();
      bucket.client.destroy();
      await intake.remove();
      await folders?.remove();
      await csvServer.close();
      for (const dir of [storageDir, salesDir, home, staffHome]) rmSync(dir, { recursive: true, force: true });
    },
  };
}
