import { describe, expect, it, vi } from 'vitest';
import { type BackoffOptions, backoffDelay, retry, sleep } from './index.js';

describe('backoffDelay', () => {
  const at = (value: number) => () => value;
  it.each<[string, number, BackoffOptions, number]>([
    // No jitter: the ceiling itself, doubling from baseMs at retry 1.
    ['retry 1 waits baseMs', 1, { baseMs: 500 }, 500],
    ['retry 3 waits 4 × baseMs', 3, { baseMs: 500 }, 2_000],
    ['the cap holds', 10, { baseMs: 500, maxMs: 30_000 }, 30_000],
    ['below 1 counts as 1', 0, { baseMs: 5_000, maxMs: 30_000 }, 5_000],
    ['no cap by default', 11, { baseMs: 1 }, 1_024],
    // Full jitter: [0, ceiling), rounded down.
    ['full, near the top', 1, { baseMs: 100, maxMs: 1_000, jitter: 'full', random: at(0.999) }, 99],
    ['full, middle of retry 4', 4, { baseMs: 100, maxMs: 1_000, jitter: 'full', random: at(0.5) }, 400],
    ['full, capped', 11, { baseMs: 100, maxMs: 1_000, jitter: 'full', random: at(0.5) }, 500],
    ['full, bottom', 6, { baseMs: 100, maxMs: 1_000, jitter: 'full', random: at(0) }, 0],
    ['full with a floor', 1, { baseMs: 250, maxMs: 5_000, jitter: 'full', floorMs: 100, random: at(0.1) }, 100],
    ['the floor only lifts', 3, { baseMs: 250, maxMs: 5_000, jitter: 'full', floorMs: 100, random: at(0.5) }, 500],
    // Half jitter: [ceiling/2, ceiling], rounded.
    ['half, bottom', 1, { baseMs: 1_000, maxMs: 60_000, jitter: 'half', random: at(0) }, 500],
    ['half, near the top', 2, { baseMs: 1_000, maxMs: 60_000, jitter: 'half', random: at(0.999) }, 1_999],
    ['half, capped', 20, { baseMs: 1_000, maxMs: 60_000, jitter: 'half', random: at(0.5) }, 45_000],
    ['half, rounds to the ms', 1, { baseMs: 3, jitter: 'half', random: at(0.5) }, 2],
    ['half, retry 0 as 1', 0, { baseMs: 1_000, maxMs: 60_000, jitter: 'half', random: at(0) }, 500],
  ])('%s', (_name, retryNo, options, expected) => {
    expect(backoffDelay(retryNo, options)).toBe(expected);
  });
});

describe('retry', () => {
  const failing = (failures: number, error: () => Error = () => new Error('no')) => {
    const calls: number[] = [];
    const fn = async (made: number) => {
      calls.push(made);
      if (calls.length <= failures) throw error();
      return 'done';
    };
    return { fn, calls };
  };

  it('retries until the call succeeds, telling each retry and its wait', async () => {
    const { fn, calls } = failing(2);
    const seen: [number, number, string][] = [];
    const result = await retry(fn, {
      retries: 5,
      backoff: { baseMs: 1 },
      onRetry: ({ retry: n, delayMs, error }) => seen.push([n, delayMs, error.message]),
    });
    expect(result).toBe('done');
    expect(calls).toEqual([0, 1, 2]);
    expect(seen).toEqual([
      [1, 1, 'no'],
      [2, 2, 'no'],
    ]);
  });

  it('lets the last failure through once the retries are used up', async () => {
    const { fn, calls } = failing(10);
    await expect(retry(fn, { retries: 2, backoff: { baseMs: 1 } })).rejects.toThrow('no');
    expect(calls).toEqual([0, 1, 2]);
  });

  it('does not retry what the predicate calls permanent, and coerces non-errors', async () => {
    const permanent = failing(10, () => new Error('permanent'));
    await expect(
      retry(permanent.fn, { backoff: { baseMs: 1 }, retryable: (error) => error.message !== 'permanent' }),
    ).rejects.toThrow('permanent');
    expect(permanent.calls).toEqual([0]);
    await expect(retry(() => Promise.reject('text'), { retries: 0, backoff: { baseMs: 1 } })).rejects.toThrow('text');
  });

  it('stops at the time budget, the last wait cut to the deadline', async () => {
    vi.useFakeTimers();
    try {
      const { fn, calls } = failing(100);
      const waits: number[] = [];
      const outcome = retry(fn, { budgetMs: 1_000, backoff: { baseMs: 400 }, onRetry: (i) => waits.push(i.delayMs) });
      const settled = outcome.catch((error: Error) => error);
      await vi.advanceTimersByTimeAsync(1_000);
      expect((await settled) as Error).toBeInstanceOf(Error);
      // Tries at 0, 400 and 1 000 (the 800 ms wait cut to 600): the deadline ends it.
      expect(calls).toEqual([0, 1, 2]);
      expect(waits).toEqual([400, 800]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects with the abort reason during a wait, and lets the failure through once aborted', async () => {
    const controller = new AbortController();
    const waiting = retry(failing(10).fn, { backoff: { baseMs: 60_000 }, signal: controller.signal });
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new Error('stopping'));
    await expect(waiting).rejects.toThrow('stopping');
    const { fn, calls } = failing(10);
    await expect(retry(fn, { backoff: { baseMs: 1 }, signal: controller.signal })).rejects.toThrow('no');
    expect(calls).toEqual([0]);
  });
});

describe('sleep', () => {
  it('rejects at once when the signal is already aborted', async () => {
    await expect(sleep(60_000, AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
  });
});
