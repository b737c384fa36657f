import { AppError } from '@pharma/shared/errors';
import type { Log } from '@pharma/shared/logger';
import { backoffDelay, sleep } from '@pharma/shared/retry';
import type { SobrusHttpConfig } from '../config.js';
import { cookieHeader, type SessionSource } from '../sobrus/session-provider.js';

export interface SobrusResponse {
  status: number;
  body: Uint8Array;
  contentType: string | null;
  contentLength: string | null;
}

/** A request that failed for good after its retry budget; `code` says why. */
export class SobrusRequestError extends AppError {
  constructor(code: string, message: string) {
    super(code, message, { statusCode: 502, retryable: false });
  }
}

/** A request to Sobrus; the session's cookies are added to its headers. */
export interface SobrusRequest {
  url: string;
  method?: string | undefined;
  headers?: Record<string, string> | undefined;
  body?: string | undefined;
}

export interface GetOptions {
  signal?: AbortSignal | undefined;
  /** Extra check of a 200 answer; a problem returned is retried like a transient failure. */
  validate?: (response: SobrusResponse) => { code: string; message: string } | undefined;
  /** Attempts that may fail validation before giving up (a deterministic bad body is not retried forever). */
  validationAttempts?: number;
  /**
   * New sessions this request may ask for; past them a 401 is its answer (`HTTP_401`). Without it only the
   * session provider's budget applies. A replayed list request whose credentials were not kept sets 1.
   */
  renewals?: number;
}

const isLoginRedirect = (status: number, location: string | null) =>
  status >= 300 && status < 400 && location !== null && /\/(login|signin)\b/.test(location);

/**
 * GET with the pharmacy's Sobrus cookies: per-request timeout, retries with exponential backoff and jitter
 * on 5xx, timeouts and broken connections, and a transparent new session when Sobrus answers 401.
 */
export function createSobrusHttp(sessions: SessionSource, config: SobrusHttpConfig, logger: Log) {
  let requests = 0;
  let retries = 0;

  async function send(request: SobrusRequest, options: GetOptions = {}): Promise<SobrusResponse> {
    const target = new URL(request.url);
    let attempt = 0;
    let validationFailures = 0;
    let renewed = 0;
    let lastProblem = { code: 'UNKNOWN', message: 'no attempt made' };
    while (attempt <= config.retries) {
      options.signal?.throwIfAborted();
      const session = await sessions.current();
      const signals = [AbortSignal.timeout(config.timeoutMs), ...(options.signal ? [options.signal] : [])];
      let response: Response;
      let body: Uint8Array;
      try {
        requests += 1;
        response = await fetch(target, {
          method: request.method ?? 'GET',
          headers: { accept: '*/*', ...request.headers, cookie: cookieHeader(session.cookies, target) },
          ...(request.body !== undefined ? { body: request.body } : {}),
          redirect: 'manual',
          signal: AbortSignal.any(signals),
        });
        body = new Uint8Array(await response.arrayBuffer());
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason;
        const err = error as Error & { cause?: { code?: string } };
        lastProblem =
          err.name === 'TimeoutError'
            ? { code: 'TIMEOUT', message: `no answer within ${config.timeoutMs} ms` }
            : { code: 'NETWORK', message: err.cause?.code ?? err.message };
        await backoff();
        continue;
      }
      if (response.status === 401 || isLoginRedirect(response.status, response.headers.get('location'))) {
        if (options.renewals !== undefined && renewed >= options.renewals) {
          throw new SobrusRequestError('HTTP_401', `Sobrus refused the request with ${renewed + 1} sessions`);
        }
        renewed += 1;
        // Not counted as an attempt: the renewal has its own budget in the session provider.
        logger.debug({ url: target.pathname, version: session.version }, 'sobrus session refused, renewing');
        await sessions.renew(session);
        continue;
      }
      const result: SobrusResponse = {
        status: response.status,
        body,
        contentType: response.headers.get('content-type'),
        contentLength: response.headers.get('content-length'),
      };
      if (response.status >= 500 || response.status === 429) {
        lastProblem = { code: `HTTP_${response.status}`, message: `Sobrus answered ${response.status}` };
        await backoff();
        continue;
      }
      if (response.status !== 200) {
        throw new SobrusRequestError(`HTTP_${response.status}`, `Sobrus answered ${response.status}`);
      }
      sessions.confirm(session);
      const problem = options.validate?.(result);
      if (!problem) return result;
      lastProblem = problem;
      if (++validationFailures >= (options.validationAttempts ?? 2)) break;
      await backoff();
    }
    throw new SobrusRequestError(lastProblem.code, `${lastProblem.message} (after ${attempt} retries)`);

    async function backoff() {
      if (attempt >= config.retries) {
        attempt += 1;
        return;
      }
      retries += 1;
      await sleep(
        backoffDelay(attempt + 1, { baseMs: config.backoffBaseMs, maxMs: config.backoffMaxMs, jitter: 'full' }),
        options.signal,
      );
      attempt += 1;
    }
  }

  return {
    send,
    get: (url: string, options: GetOptions = {}) => send({ url }, options),
    stats: () => ({ requests, retries, sessionRenewals: sessions.renewalCount }),
  };
}

export type SobrusHttp = ReturnType<typeof createSobrusHttp>;
