import { AppError } from '@pharma/shared/errors';
import type { Log } from '@pharma/shared/logger';
import { retry } from '@pharma/shared/retry';

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
  return retry(step, {
    budgetMs: options.budgetMs ?? 120_000,
    signal: options.signal,
    backoff: { baseMs: 250, maxMs: 5_000, jitter: 'full', floorMs: 100 },
    retryable: (error) => !(error instanceof AppError && !error.retryable),
    onRetry: ({ error, retry: attempt, delayMs }) =>
      options.log.warn({ err: error, attempt, retryInMs: delayMs }, `${options.what}: NATS did not answer`),
  });
}
