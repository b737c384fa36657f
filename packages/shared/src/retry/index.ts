import { toError } from '../errors/index.js';

/**
 * How long to wait before trying again, and a loop that does the trying. Every backoff of the platform goes
 * through `backoffDelay`, so the figures of each call site are read from its options, not from a local formula.
 */

/**
 * - `none`: exactly the ceiling.
 * - `full`: uniform in [0, ceiling), rounded down (spreads clients best; the wait may be close to 0).
 * - `half`: uniform in [ceiling/2, ceiling], rounded to the nearest ms (never less than half the ceiling).
 */
export type Jitter = 'none' | 'full' | 'half';

export interface BackoffOptions {
  /** Ceiling of the first retry's wait; it doubles with each retry after that. */
  baseMs: number;
  /** Cap of the ceiling (default: none). */
  maxMs?: number;
  /** Default `none`. */
  jitter?: Jitter;
  /** Smallest wait, applied after the jitter (default 0). */
  floorMs?: number;
  /** Uniform in [0, 1); for tests. */
  random?: () => number;
}

/**
 * Wait before retry number `retry`, counted from 1: retry 1 comes after the first failure (a NATS delivery
 * count, a failure count). The ceiling is `min(maxMs, baseMs · 2^(retry - 1))`, then `jitter` applies, then
 * `floorMs`. A retry number below 1 counts as 1.
 */
export function backoffDelay(retry: number, options: BackoffOptions): number {
  const { baseMs, maxMs = Number.POSITIVE_INFINITY, jitter = 'none', floorMs = 0, random = Math.random } = options;
  const ceiling = Math.min(maxMs, baseMs * 2 ** (Math.max(1, retry) - 1));
  let delay: number;
  if (jitter === 'full') delay = Math.floor(random() * ceiling);
  else if (jitter === 'half') delay = Math.round(ceiling / 2 + (random() * ceiling) / 2);
  else delay = ceiling;
  return Math.max(floorMs, delay);
}

/** Waits `ms`; an abort rejects at once with the signal's reason (the timer is cleared). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface RetryInfo {
  error: Error;
  /** The retry about to be made, from 1. */
  retry: number;
  delayMs: number;
}

export interface RetryOptions {
  backoff: BackoffOptions;
  /** Retries after the first try (tries = retries + 1); default: no limit but `budgetMs` and `signal`. */
  retries?: number;
  /**
   * Time from the first try after which a failure is let through; a wait that would pass it is shortened to
   * end there, so the last try starts at the deadline at the latest.
   */
  budgetMs?: number;
  /** Aborted: a failure is let through instead of retried, and a wait in progress rejects with the reason. */
  signal?: AbortSignal;
  /** Whether this failure is worth another try (default: every one). */
  retryable?: (error: Error) => boolean;
  /** Called before each wait, e.g. to log; the wait is not changed by it. */
  onRetry?: (info: RetryInfo) => void;
  now?: () => number;
}

/**
 * Runs `fn` until it resolves, or a failure is not retryable, the retries or the time budget are used up, or
 * the signal is aborted; then the last failure is thrown (as an Error). `fn` gets the retry number (0 on the
 * first try).
 */
export async function retry<T>(fn: (retry: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const now = options.now ?? Date.now;
  const deadline = options.budgetMs === undefined ? Number.POSITIVE_INFINITY : now() + options.budgetMs;
  const retries = options.retries ?? Number.POSITIVE_INFINITY;
  for (let made = 0; ; made++) {
    try {
      return await fn(made);
    } catch (thrown) {
      const error = toError(thrown);
      if (made >= retries || options.signal?.aborted || now() >= deadline) throw error;
      if (options.retryable && !options.retryable(error)) throw error;
      const delayMs = backoffDelay(made + 1, options.backoff);
      options.onRetry?.({ error, retry: made + 1, delayMs });
      await sleep(Math.min(delayMs, Math.max(0, deadline - now())), options.signal);
    }
  }
}
