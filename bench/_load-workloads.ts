// The workloads of the load benchmark, each driven through the gateway's public API like a user would, each
// checked against what it must produce. A workload that ends wrong throws; its figures are kept either way.

export interface JobView {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  progress: { done: number; total: number; stage: string; message?: string };
  result?: Record<string, unknown>;
  errors?: { item: string; code: string; message: string }[];
}

export class WorkloadError extends Error {
  override name = 'WorkloadError';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (since: number) => Math.round((performance.now() - since) / 10) / 100;

/** A logged-in caller of the gateway (Bearer token). */
export class GatewayClient {
  private constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  static async login(baseUrl: string, email: string, password: string): Promise<GatewayClient> {
    const response = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
      signal: AbortSignal.timeout(180_000),
    });
    const body = (await response.json()) as { token?: string };
    if (!response.ok || !body.token) {
      throw new WorkloadError(`login of ${email} answered ${response.status}: ${JSON.stringify(body)}`);
    }
    return new GatewayClient(baseUrl, body.token);
  }

  get headers(): Record<string, string> {
    return { authorization: `Bearer ${this.token}` };
  }

  async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { ...this.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    if (!response.ok) throw new WorkloadError(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
    return JSON.parse(text) as T;
  }

  /** Polls the job until it is final; a transient error of the poll itself is retried until the deadline. */
  async waitJob(what: string, jobId: string, deadline: number, intervalMs = 1_000): Promise<JobView> {
    let lastError: unknown;
    let last: JobView | undefined;
    while (Date.now() < deadline) {
      try {
        const job = await this.call<JobView>('GET', `/api/jobs/${encodeURIComponent(jobId)}`);
        last = job;
        if (job.status === 'succeeded' || job.status === 'failed' || job.status === 'cancelled') return job;
      } catch (error) {
        lastError = error;
      }
      await sleep(intervalMs);
    }
    const state = last ? ` (last seen ${last.status}, ${JSON.stringify(last.progress)})` : '';
    throw new WorkloadError(
      `${what}: job ${jobId} not final by the deadline${state}${lastError ? ` (${String(lastError)})` : ''}`,
    );
  }
}

const describeJob = (job: JobView) =>
  `${job.status} ${JSON.stringify(job.result ?? {})} ${JSON.stringify((job.errors ?? []).slice(0, 5))}`;

export interface PharmacyFigures {
  account: string;
  customers_expected: number;
  customers: number | null;
  clients_s: number | null;
  statements_downloaded: number | null;
  statements_failed: number | null;
  /** Request → scraper job final (every PDF in the object store). */
  statements_job_s: number | null;
  /** Customers with a stored, parsed statement at the end, and their verdicts. */
  statements_stored: number | null;
  verdicts: Record<string, number> | null;
  /** Request → every statement parsed and stored in the pharmacy database. */
  statements_s: number | null;
  error?: string;
}

interface Balances {
  total: number;
  verdicts: { ok: number; ok_with_anomalies: number; mismatch: number; none: number };
}

/**
 * One pharmacy: customers refresh, then statements of the period, then waits until the storage answers with a
 * parsed statement for every customer. Correct means: the simulator's customer count, every statement
 * downloaded, stored and reconciled (no mismatch: the simulator injects none here).
 */
export async function pharmacyWorkload(
  client: GatewayClient,
  account: string,
  expected: number,
  period: { from: string; to: string },
  deadline: number,
): Promise<PharmacyFigures> {
  const figures: PharmacyFigures = {
    account,
    customers_expected: expected,
    customers: null,
    clients_s: null,
    statements_downloaded: null,
    statements_failed: null,
    statements_job_s: null,
    statements_stored: null,
    verdicts: null,
    statements_s: null,
  };
  try {
    let started = performance.now();
    const clients = await client.call<{ jobId: string }>('POST', '/api/clients/refresh');
    const clientsJob = await client.waitJob(`customers refresh of ${account}`, clients.jobId, deadline);
    figures.clients_s = seconds(started);
    figures.customers = Number(clientsJob.result?.customers ?? Number.NaN);
    if (clientsJob.status !== 'succeeded' || figures.customers !== expected) {
      throw new WorkloadError(`customers refresh of ${account}: ${describeJob(clientsJob)}`);
    }

    started = performance.now();
    const statements = await client.call<{ jobId: string }>('POST', '/api/statements/refresh', period);
    const statementsJob = await client.waitJob(`statements refresh of ${account}`, statements.jobId, deadline);
    figures.statements_job_s = seconds(started);
    figures.statements_downloaded = Number(statementsJob.result?.downloaded ?? Number.NaN);
    figures.statements_failed = Number(statementsJob.result?.failed ?? Number.NaN);
    if (statementsJob.status !== 'succeeded' || figures.statements_downloaded !== expected) {
      throw new WorkloadError(`statements refresh of ${account}: ${describeJob(statementsJob)}`);
    }

    let balances: Balances | undefined;
    while (Date.now() < deadline) {
      balances = await client.call<Balances>('GET', '/api/balances?limit=1').catch(() => undefined);
      if (balances && balances.total === expected && balances.verdicts.none === 0) break;
      await sleep(2_000);
    }
    if (balances) {
      figures.verdicts = balances.verdicts;
      figures.statements_stored = balances.total - balances.verdicts.none;
    }
    if (!balances || figures.statements_stored !== expected) {
      throw new WorkloadError(
        `${account}: ${figures.statements_stored ?? 'no'} of ${expected} statements stored by the deadline`,
      );
    }
    figures.statements_s = seconds(started);
    if (balances.verdicts.mismatch !== 0) {
      throw new WorkloadError(`${account}: ${balances.verdicts.mismatch} statements do not reconcile`);
    }
  } catch (error) {
    figures.error = (error as Error).message;
  }
  return figures;
}

export interface ScanFigures {
  files_expected: number;
  files_registered: number | null;
  seen: number | null;
  scan_s: number | null;
  stage_ms?: unknown;
  error?: string;
}

/** A registry scan of the intake tree on demand: every file must be new and registered. */
export async function registryWorkload(staff: GatewayClient, files: number, deadline: number): Promise<ScanFigures> {
  const figures: ScanFigures = { files_expected: files, files_registered: null, seen: null, scan_s: null };
  try {
    const started = performance.now();
    const { jobId } = await staff.call<{ jobId: string }>('POST', '/api/registry/scans');
    const job = await staff.waitJob('registry scan', jobId, deadline);
    figures.scan_s = seconds(started);
    const totals = (job.result?.totals ?? {}) as { new?: number; seen?: number };
    figures.files_registered = totals.new ?? null;
    figures.seen = totals.seen ?? null;
    figures.stage_ms = job.result?.stageMs;
    if (job.status !== 'succeeded' || totals.new !== files) {
      throw new WorkloadError(`registry scan: ${describeJob(job)}`);
    }
  } catch (error) {
    figures.error = (error as Error).message;
  }
  return figures;
}

export interface ImportFigures {
  rows_expected: number;
  rows_imported: number | null;
  rejected: number | null;
  import_s: number | null;
  rows_per_s: number | null;
  error?: string;
}

interface ImportedFile {
  kind: string;
  inserted: number;
  rejected: number;
}

/** A sales import from URLs (products, stores, sales), analyses included: every sales row must be inserted. */
export async function salesWorkload(
  staff: GatewayClient,
  urls: Record<string, string>,
  expected: { sales: number; products: number; stores: number },
  deadline: number,
): Promise<ImportFigures> {
  const figures: ImportFigures = {
    rows_expected: expected.sales,
    rows_imported: null,
    rejected: null,
    import_s: null,
    rows_per_s: null,
  };
  try {
    const started = performance.now();
    const { jobId } = await staff.call<{ jobId: string }>('POST', '/api/sales/imports', { urls });
    const job = await staff.waitJob('sales import', jobId, deadline);
    figures.import_s = seconds(started);
    const files = (job.result?.files ?? []) as ImportedFile[];
    const inserted = (kind: string) => files.find((file) => file.kind === kind)?.inserted;
    figures.rows_imported = inserted('sales') ?? null;
    figures.rejected = files.reduce((sum, file) => sum + file.rejected, 0);
    if (figures.rows_imported !== null) figures.rows_per_s = Math.round(figures.rows_imported / figures.import_s);
    if (
      job.status !== 'succeeded' ||
      figures.rows_imported !== expected.sales ||
      inserted('products') !== expected.products ||
      inserted('stores') !== expected.stores ||
      figures.rejected !== 0
    ) {
      throw new WorkloadError(`sales import: ${describeJob(job)}`);
    }
  } catch (error) {
    figures.error = (error as Error).message;
  }
  return figures;
}
