// The platform under load, every service in its own process (the launcher's harness): 20 pharmacies refresh
// their customers and statements at once, each with its own Sobrus account on the simulator, while a
// 100 000-file registry scan and a 1 000 000-row sales import run. Throughout, a logged-in pharmacy reads
// `GET /api/clients` one request after the other; peak memory is taken from every process.
// Last line: { clients_p95_ms, peak_rss_mb: { <service>: MB }, … }. Exit code 1 when a workload ends wrong.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Platform, startPlatform } from '@pharma/launcher/platform';
import { SERVICE_NAMES, serviceEnv } from '@pharma/launcher/service-env';
import { startLatencyProbe } from './_latency-probe.js';
import {
  GatewayClient,
  type ImportFigures,
  type PharmacyFigures,
  pharmacyWorkload,
  registryWorkload,
  type ScanFigures,
  salesWorkload,
} from './_load-workloads.js';
import { startProcessSampler, type WatchedProcess } from './_process-sampler.js';
import { buildRegistryTree } from './_registry-tree.js';
import { SALES_PRODUCTS, SALES_STORES, serveSalesFiles, writeSalesFiles } from './_sales-files.js';
import { withScratchDatabase } from './_scratch-database.js';

const PHARMACIES = Number(process.env.LOAD_BENCH_PHARMACIES ?? 20);
const FILES = Number(process.env.LOAD_BENCH_FILES ?? 100_000);
const SALES_ROWS = Number(process.env.LOAD_BENCH_SALES_ROWS ?? 1_000_000);
/** Statement period: the last 365 days to yesterday (LOAD_BENCH_FROM=2017-01-01: the whole history, far longer). */
const TO = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
const FROM = process.env.LOAD_BENCH_FROM ?? new Date(Date.now() - 366 * 86_400_000).toISOString().slice(0, 10);
/** Logins in flight at once (each is a Sobrus login through the auth service's browser). */
const LOGIN_CONCURRENCY = Number(process.env.LOAD_BENCH_LOGIN_CONCURRENCY ?? 4);
const TIMEOUT_MS = Number(process.env.LOAD_BENCH_TIMEOUT_S ?? 1_200) * 1000;
const STAFF = { email: 'load-bench@example.com', password: 'load-bench-password' };

const progress = (message: string) =>
  process.stderr.write(`[load ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
const seconds = (since: number) => Math.round((performance.now() - since) / 10) / 100;

/** Staff account through the auth service's own command, against the platform's database. */
async function createStaff(platform: Platform): Promise<void> {
  const { spawn } = await import('node:child_process');
  const child = spawn(
    process.execPath,
    ['services/auth/dist/cli.js', 'create-staff', '--email', STAFF.email, '--role', 'ops', '--password-stdin'],
    { env: { ...process.env, ...serviceEnv('auth', platform.infra) }, stdio: ['pipe', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdin.end(STAFF.password);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`create-staff failed (${code}): ${stderr}`);
}

async function waitHealthy(gatewayUrl: string, deadline: number): Promise<void> {
  let last = '';
  while (Date.now() < deadline) {
    const response = await fetch(`${gatewayUrl}/api/health`).catch(() => undefined);
    if (response) {
      const body = (await response.json()) as { status: string };
      if (body.status === 'up') return;
      last = JSON.stringify(body);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the platform is not healthy: ${last}`);
}

async function inBatches<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map(work))));
  return results;
}

async function run(databaseUrl: string, dataDir: string, salesDir: string) {
  const deadline = Date.now() + TIMEOUT_MS;
  let started = performance.now();
  const tree = await buildRegistryTree(join(dataDir, 'intake'), FILES, progress);
  progress(`intake tree: ${tree.folders} folders, ${tree.files} files in ${seconds(started)} s`);
  started = performance.now();
  const { bytes } = await writeSalesFiles(salesDir, SALES_ROWS);
  const salesServer = await serveSalesFiles(salesDir);
  progress(
    `sales files: ${SALES_ROWS} rows (${bytes} bytes) in ${seconds(started)} s, served at ${salesServer.urls.sales}`,
  );

  started = performance.now();
  const warnings: string[] = [];
  const unexpectedExits: string[] = [];
  const platform = await startPlatform({
    dataDir,
    databaseUrl,
    logLevel: 'info',
    // Warnings and errors of every process go to stderr; the rest is only kept in each process's logs().
    output: (line) => {
      if (/\| (WARN|ERROR|FATAL) /.test(line)) {
        warnings.push(line);
        process.stderr.write(`${line}\n`);
      }
    },
    onMessage: progress,
    onServiceExit: (name, code, signal, expected) => {
      if (!expected) unexpectedExits.push(`${name} exited (${signal ?? `code ${code}`})`);
    },
    serviceEnv: {
      // Every client of the benchmark comes from one address: the per-address limits would throttle the bench.
      gateway: { GATEWAY_RATE_LIMIT_PER_MINUTE: '1000000', GATEWAY_LOGIN_RATE_LIMIT_PER_MINUTE: '1000' },
      'sales-etl': { SALES_ALLOW_PRIVATE_URLS: 'true', SALES_SCHEDULES_ENABLED: 'false' },
      // Only the workloads run: no scheduled scan or run starts in the middle.
      'file-registry': { REGISTRY_SCHEDULE_ENABLED: 'false' },
      orchestrator: { ORCHESTRATOR_SCHEDULE_ENABLED: 'false' },
    },
    simulator: {
      env: { LOG_LEVEL: 'warn', ...(process.env.SIM_FAULTS ? { SIM_FAULTS: process.env.SIM_FAULTS } : {}) },
    },
  });
  try {
    await waitHealthy(platform.gatewayUrl, deadline);
    progress(`platform up in ${seconds(started)} s at ${platform.gatewayUrl}`);
    const services: WatchedProcess[] = SERVICE_NAMES.map((name) => ({ name, pid: platform.services[name].pid! }));
    const infra: WatchedProcess[] = [platform.nats, platform.s3, platform.simulator].flatMap((part) =>
      part?.pid ? [{ name: part.name, pid: part.pid }] : [],
    );
    const sampler = startProcessSampler([...services, ...infra]);

    const accounts = (
      (await (await fetch(`${platform.simulator!.appUrl}/__sim/truth/accounts`)).json()) as {
        email: string;
        password: string;
        customerCount: number;
      }[]
    )
      .filter((account) => account.customerCount > 0)
      .slice(0, PHARMACIES);
    if (accounts.length < PHARMACIES)
      throw new Error(`the simulator has only ${accounts.length} accounts with customers`);

    await createStaff(platform);
    started = performance.now();
    const staff = await GatewayClient.login(platform.gatewayUrl, STAFF.email, STAFF.password);
    const pharmacies = await inBatches(accounts, LOGIN_CONCURRENCY, (account) =>
      GatewayClient.login(platform.gatewayUrl, account.email, account.password),
    );
    const loginsS = seconds(started);
    progress(`${pharmacies.length} pharmacies and one staff member logged in in ${loginsS} s`);

    const probeUrl = `${platform.gatewayUrl}/api/clients`;
    const idleProbe = startLatencyProbe({ url: probeUrl, headers: pharmacies[0]!.headers });
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const idle = await idleProbe.stop();
    progress(`idle GET /api/clients: ${JSON.stringify(idle)}`);

    progress(
      `load: ${PHARMACIES} pharmacies (${accounts.reduce((sum, a) => sum + a.customerCount, 0)} statements ${FROM} → ${TO}), ` +
        `${FILES}-file scan, ${SALES_ROWS}-row import`,
    );
    const probe = startLatencyProbe({ url: probeUrl, headers: pharmacies[0]!.headers });
    // The gateway's own liveness answer, no other service involved: tells the gateway's delays from the storage's.
    const healthzProbe = startLatencyProbe({ url: `${platform.gatewayUrl}/healthz` });
    const loadStarted = performance.now();
    const ticker = setInterval(() => progress(`… ${seconds(loadStarted)} s`), 15_000);
    const announce = <T extends { error?: string }>(what: string, figures: T) => {
      progress(`${what} ${figures.error ? 'FAILED' : 'done'} at ${seconds(loadStarted)} s: ${JSON.stringify(figures)}`);
      return figures;
    };
    const [pharmacyFigures, scan, sales] = await Promise.all([
      Promise.all(
        pharmacies.map((client, i) =>
          pharmacyWorkload(
            client,
            accounts[i]!.email,
            accounts[i]!.customerCount,
            { from: FROM, to: TO },
            deadline,
          ).then((figures) => announce(`pharmacy ${accounts[i]!.email}`, figures)),
        ),
      ),
      registryWorkload(staff, FILES, deadline).then((figures) => announce('registry scan', figures)),
      salesWorkload(
        staff,
        salesServer.urls,
        { sales: SALES_ROWS, products: SALES_PRODUCTS, stores: SALES_STORES },
        deadline,
      ).then((figures) => announce('sales import', figures)),
    ]);
    const loadS = seconds(loadStarted);
    clearInterval(ticker);
    const clients = await probe.stop();
    const healthz = await healthzProbe.stop();
    progress(`load GET /api/clients: ${JSON.stringify(clients)}`);
    progress(`load GET /healthz: ${JSON.stringify(healthz)}`);

    // The orchestrator starts a run after the scan by itself (every new file is a task); it is not waited for.
    const runs = await staff
      .call<{ items: { status: string; progress: unknown }[] }>('GET', '/api/jobs?kind=orchestrator.run')
      .catch(() => ({ items: [] }));
    const peaks = sampler.stop();
    return {
      platform,
      figures: { loadS, loginsS, idle, clients, healthz, pharmacyFigures, scan, sales, peaks, services, runs },
      unexpectedExits,
      warnings,
    };
  } catch (error) {
    await platform.stop();
    throw error;
  } finally {
    salesServer.close();
  }
}

function report(
  figures: Awaited<ReturnType<typeof run>>['figures'],
  failures: string[],
  warnings: number,
): Record<string, unknown> {
  const { clients, idle, pharmacyFigures, scan, sales, peaks } = figures;
  const serviceNames = new Set(figures.services.map((service) => service.name));
  const pick = (values: Record<string, number>, inside: boolean) =>
    Object.fromEntries(Object.entries(values).filter(([name]) => serviceNames.has(name) === inside));
  const max = (values: (number | null)[]) => Math.max(...values.map((value) => value ?? Number.NaN));
  return {
    ok: failures.length === 0,
    clients_p95_ms: clients.p95_ms,
    clients_p50_ms: clients.p50_ms,
    clients_p99_ms: clients.p99_ms,
    clients_max_ms: clients.max_ms,
    clients_requests: clients.count,
    clients_errors: clients.errors,
    clients_error_kinds: clients.error_kinds,
    clients_idle_p95_ms: idle.p95_ms,
    gateway_healthz: figures.healthz,
    peak_rss_mb: pick(peaks.process, true),
    peak_tree_pss_mb: pick(peaks.tree, true),
    infra_peak_rss_mb: pick(peaks.process, false),
    // From each process's start (logins included) to the end of the load.
    cpu_s: peaks.cpu_s,
    load_s: figures.loadS,
    logins_s: figures.loginsS,
    pharmacies: {
      count: pharmacyFigures.length,
      completed: pharmacyFigures.filter((p) => !p.error).length,
      statements_expected: pharmacyFigures.reduce((sum, p) => sum + p.customers_expected, 0),
      statements_downloaded: pharmacyFigures.reduce((sum, p) => sum + (p.statements_downloaded ?? 0), 0),
      statements_stored: pharmacyFigures.reduce((sum, p) => sum + (p.statements_stored ?? 0), 0),
      clients_s_max: max(pharmacyFigures.map((p) => p.clients_s)),
      statements_s_max: max(pharmacyFigures.map((p) => p.statements_s)),
      period: { from: FROM, to: TO },
      each: pharmacyFigures.map((p: PharmacyFigures) => ({
        account: p.account,
        customers: p.customers,
        downloaded: p.statements_downloaded,
        stored: p.statements_stored,
        clients_s: p.clients_s,
        statements_job_s: p.statements_job_s,
        statements_s: p.statements_s,
      })),
    },
    registry_scan: scan satisfies ScanFigures,
    sales_import: sales satisfies ImportFigures,
    orchestrator_runs_at_end: figures.runs.items.map((job) => ({ status: job.status, progress: job.progress })),
    rss_samples: peaks.samples,
    service_warnings: warnings,
    failures,
  };
}

const dataDir = await mkdtemp(join(tmpdir(), 'load-bench-'));
const salesDir = join(dataDir, 'sales-files');
await mkdir(salesDir);
let exitCode = 0;
try {
  const summary = await withScratchDatabase('bench_load', async (databaseUrl) => {
    const outcome = await run(databaseUrl, dataDir, salesDir);
    const stopping = performance.now();
    await outcome.platform.stop();
    progress(`platform stopped in ${seconds(stopping)} s`);
    const { figures } = outcome;
    const failures = [
      ...figures.pharmacyFigures.flatMap((p) => (p.error ? [p.error] : [])),
      ...(figures.scan.error ? [figures.scan.error] : []),
      ...(figures.sales.error ? [figures.sales.error] : []),
      ...outcome.unexpectedExits,
    ];
    return report(figures, failures, outcome.warnings.length);
  });
  if ((summary.failures as string[]).length > 0) {
    exitCode = 1;
    progress(`FAILED: ${(summary.failures as string[]).join('\n  ')}`);
  }
  console.log(JSON.stringify(summary));
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
process.exitCode = exitCode;
