import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The correlation id of the work in progress: set where work for a caller begins (an HTTP request, an RPC
 * request, an event), read where it leaves the process (RPC requests, published events, new jobs) and added
 * to every log line written meanwhile. Shared background loops (timers serving several jobs) run outside it.
 */
const storage = new AsyncLocalStorage<string>();

/** Longest id taken from outside; the event contracts allow 200 characters. */
export const MAX_CORRELATION_ID_LENGTH = 128;
const ACCEPTED = /^[\w.:@/+=-]+$/;

/** An id from an untrusted header, or undefined when it is missing, too long or has unsafe characters. */
export function acceptCorrelationId(value: unknown): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== 'string') return undefined;
  const trimmed = text.trim();
  return trimmed.length > 0 && trimmed.length <= MAX_CORRELATION_ID_LENGTH && ACCEPTED.test(trimmed)
    ? trimmed
    : undefined;
}

/** Runs `work` (and everything it starts) under the id; without an id, under the caller's context. */
export function withCorrelationId<T>(correlationId: string | undefined, work: () => T): T {
  return correlationId ? storage.run(correlationId, work) : work();
}

/** Runs `work` outside any correlation: for timers and loops shared by the work of many callers. */
export function withoutCorrelationId<T>(work: () => T): T {
  return storage.exit(work);
}

export function currentCorrelationId(): string | undefined {
  return storage.getStore();
}
