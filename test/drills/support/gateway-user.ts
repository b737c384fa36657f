/** A pharmacy using the platform through the gateway's HTTP API, as the web app and the CLI do. */

export interface Job {
  id: string;
  kind: string;
  status: 'queued' | 'running' | 'succeeded' | 'partial' | 'failed' | 'cancelled';
  progress: { done: number; total: number; stage: string; message?: string };
  result?: Record<string, unknown>;
  errors: { item: string; code: string; message: string }[];
  updatedAt: string;
}

export interface Balances {
  total: number;
  verdicts: { ok: number; ok_with_anomalies: number; mismatch: number; none: number };
}

const FINAL = new Set(['succeeded', 'partial', 'failed', 'cancelled']);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class GatewayUser {
  private token = '';

  constructor(
    readonly gatewayUrl: string,
    readonly email: string,
    private readonly password: string,
  ) {}

  /** One HTTP call; throws with the status and body when the answer is not 2xx. */
  async call(path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(new URL(path, this.gatewayUrl), {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(60_000),
    });
    if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
    return response;
  }

  async json<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
    return (await (await this.call(path, init)).json()) as T;
  }

  async login(): Promise<void> {
    const session = await this.json<{ token: string }>('/api/auth/login', {
      method: 'POST',
      body: { email: this.email, password: this.password },
    });
    this.token = session.token;
  }

  async startClientsRefresh(): Promise<string> {
    return (await this.json<{ jobId: string }>('/api/clients/refresh', { method: 'POST', body: {} })).jobId;
  }

  async startStatementsRefresh(from: string, to: string): Promise<string> {
    return (await this.json<{ jobId: string }>('/api/statements/refresh', { method: 'POST', body: { from, to } }))
      .jobId;
  }

  job(id: string): Promise<Job> {
    return this.json<Job>(`/api/jobs/${encodeURIComponent(id)}`);
  }

  balances(): Promise<Balances> {
    return this.json<Balances>('/api/balances?limit=1');
  }

  /** A consistent copy of the pharmacy's SQLite database. */
  async pharmacyDb(): Promise<Buffer> {
    return Buffer.from(await (await this.call('/api/pharmacy.db')).arrayBuffer());
  }

  /**
   * Polls until `read` answers something `done` accepts. Failures (the gateway or a service being down during a
   * drill) are retried: a drill waits for recovery, and the deadline only guards against a hang.
   */
  async until<T>(
    what: string,
    read: () => Promise<T>,
    done: (value: T) => boolean,
    { timeoutMs = 300_000, intervalMs = 250 } = {},
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: T | undefined;
    let lastError: unknown;
    while (Date.now() < deadline) {
      try {
        last = await read();
        lastError = undefined;
        if (done(last)) return last;
      } catch (error) {
        lastError = error;
      }
      await pause(intervalMs);
    }
    throw new Error(
      `${what}: not reached after ${timeoutMs} ms; last answer ${JSON.stringify(last)}${lastError ? `, last error ${String(lastError)}` : ''}`,
    );
  }

  waitJob(id: string, timeoutMs = 300_000): Promise<Job> {
    return this.until(
      `job ${id} to end`,
      () => this.job(id),
      (job) => FINAL.has(job.status),
      { timeoutMs },
    );
  }
}
