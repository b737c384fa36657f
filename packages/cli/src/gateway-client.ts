import { CliError, EXIT } from './errors.js';

export interface Job {
  id: string;
  kind: string;
  status: 'queued' | 'running' | 'succeeded' | 'partial' | 'failed' | 'cancelled';
  progress: { done: number; total: number; stage: string; message?: string; params?: Record<string, string | number> };
  result?: Record<string, unknown>;
  errors: { item: string; code: string; message: string }[];
  cancelRequested?: boolean;
}

const FINAL_STATUSES: ReadonlySet<Job['status']> = new Set(['succeeded', 'partial', 'failed', 'cancelled']);
export const isFinal = (job: Job) => FINAL_STATUSES.has(job.status);

export const jobPath = (jobId: string, tail = '') => `/api/jobs/${encodeURIComponent(jobId)}${tail}`;

interface RequestInit {
  method?: string;
  body?: unknown;
  accept?: string;
  signal?: AbortSignal;
}

/** HTTP calls to the gateway, with failures turned into the CLI's exit codes. */
export class GatewayClient {
  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: init.accept ?? 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(new URL(path, this.baseUrl), {
        method: init.method ?? 'GET',
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: init.signal,
      });
    } catch (error) {
      // An abort is the caller's own decision (Ctrl-C): let its reason through untouched.
      if (init.signal?.aborted) throw init.signal.reason;
      const cause = (error as { cause?: { code?: string; errors?: { code?: string }[] } }).cause;
      const reason =
        cause?.code ?? cause?.errors?.[0]?.code ?? (cause as Error | undefined)?.message ?? (error as Error).message;
      throw new CliError(`Cannot reach the gateway at ${this.baseUrl} (${reason})`, EXIT.unreachable);
    }
    if (response.ok) return response;
    const body = (await response.json().catch(() => ({}))) as { code?: string; message?: string; fields?: string[] };
    const detail = `${body.message ?? response.statusText}${body.fields?.length ? ` [${body.fields.join(', ')}]` : ''}`;
    const options = { code: body.code, details: body.fields?.length ? { fields: body.fields } : undefined };
    if (response.status === 401)
      throw new CliError(`Not logged in or session expired: ${detail}. Run \`pharma login\`.`, EXIT.auth, options);
    if (response.status === 403) throw new CliError(`Not allowed: ${detail}`, EXIT.auth, options);
    if (response.status === 400 || response.status === 404) throw new CliError(detail, EXIT.usage, options);
    if (response.status >= 502) throw new CliError(`Service unavailable: ${detail}`, EXIT.unreachable, options);
    throw new CliError(`${response.status}: ${detail}`, EXIT.jobFailed, options);
  }

  async json<T>(path: string, init: Omit<RequestInit, 'accept'> = {}): Promise<T> {
    const response = await this.fetch(path, init);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  /**
   * Yields the job's states from one SSE connection. It returns when the server ends the stream or the
   * connection breaks (whether the job had ended is for the caller to tell from the last state).
   */
  async *follow(jobId: string, signal?: AbortSignal): AsyncGenerator<Job> {
    const response = await this.fetch(jobPath(jobId, '/events'), { accept: 'text/event-stream', signal });
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let cut = buffer.indexOf('\n\n');
        while (cut >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (data) yield JSON.parse(data) as Job;
          cut = buffer.indexOf('\n\n');
        }
      }
    } catch {
      if (signal?.aborted) throw signal.reason;
      // The connection broke mid-stream: the same as an early end, which the caller reconnects from.
    }
  }
}
