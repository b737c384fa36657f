import { AppError, toError } from '@pharma/shared/errors';
import type { Log } from '@pharma/shared/logger';
import { backoffDelay, sleep } from '../domain/backoff.js';

export interface NatsRetryOptions {
  /** What is being done, for the log. */
  what: string;
  log: Log;
  signal?: AbortSignal;
  /** Longest time spent retrying before the error is let through (default 2 minutes). */
  budgetMs?: number;
}

/**
 * Runs a NATS step of a job (object store put, event publish) until NATS answers: a server restart or a
 * network blip makes it time out or fail while disconnected, and the client reconnects by itself. Failing the
 * item instead would lose a statement that Sobrus served fine. Permanent errors (an invalid payload) go
 * through at once.
 */
export async function untilNatsAnswers<T>(step: () => Promise<T>, options: NatsRetryOptions): Promise<T> {
  const deadline = Date.now() + (options.budgetMs ?? 120_000);
  for (let attempt = 0; ; attempt++) {
    try {
      return await step();
    } catch (thrown) {
      const error = toError(thrown);
      const permanent = error instanceof AppError && !error.retryable;
      if (permanent || options.signal?.aborted || Date.now() >= deadline) throw error;
      const delay = Math.max(100, backoffDelay(attempt, 250, 5_000));
      options.log.warn({ err: error, attempt: attempt + 1, retryInMs: delay }, `${options.what}: NATS did not answer`);
      await sleep(Math.min(delay, Math.max(0, deadline - Date.now())), options.signal);
    }
  }
}
