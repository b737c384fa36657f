import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CoalescedWrites } from './coalesced-writes.js';

/** Coalesced writes of a state, each write recording the value it saw and finishing only when released. */
function gatedWrites() {
  const state = { value: 1 };
  const seen: number[] = [];
  const gates: (() => void)[] = [];
  const writes = new CoalescedWrites(() => {
    seen.push(state.value);
    return new Promise<void>((resolve) => gates.push(resolve));
  });
  const release = async () => {
    gates.shift()?.();
    await vi.advanceTimersByTimeAsync(0);
  };
  return { state, seen, writes, release, inFlight: () => gates.length };
}

describe('CoalescedWrites', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('keeps one write in flight and writes only the latest state after it', async () => {
    const { state, seen, writes, release, inFlight } = gatedWrites();
    writes.request();
    for (const value of [2, 3, 4]) {
      state.value = value;
      writes.request();
    }
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual([1]);
    expect(inFlight()).toBe(1);
    await release();
    expect(seen).toEqual([1, 4]);
    await release();
    expect(seen).toEqual([1, 4]);
    expect(await writes.close()).toBe(false);
  });

  it('waits the minimum interval between two writes, the first one at once', async () => {
    const state = { value: 1 };
    const seen: number[] = [];
    const writes = new CoalescedWrites(async () => void seen.push(state.value), 250);
    writes.request();
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual([1]);
    state.value = 2;
    writes.request();
    state.value = 3;
    writes.request();
    await vi.advanceTimersByTimeAsync(200);
    expect(seen).toEqual([1]);
    await vi.advanceTimersByTimeAsync(50);
    expect(seen).toEqual([1, 3]);
  });

  it('on close starts no other write, waits for the one in flight and says a request was left', async () => {
    const { state, seen, writes, release } = gatedWrites();
    writes.request();
    state.value = 2;
    writes.request();
    let closed: boolean | undefined;
    void writes.close().then((left) => {
      closed = left;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(closed).toBeUndefined();
    await release();
    expect(closed).toBe(true);
    expect(seen).toEqual([1]);
    writes.request();
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual([1]);
  });

  it('on close stops waiting out the interval at once', async () => {
    const seen: number[] = [];
    const writes = new CoalescedWrites(async () => void seen.push(seen.length), 60_000);
    writes.request();
    await vi.advanceTimersByTimeAsync(0);
    writes.request();
    const closing = writes.close();
    await vi.advanceTimersByTimeAsync(0);
    await expect(closing).resolves.toBe(true);
    expect(seen).toEqual([0]);
  });

  it('goes on after a failed write: the next request writes again', async () => {
    let calls = 0;
    const writes = new CoalescedWrites(async () => {
      calls += 1;
      if (calls === 1) throw new Error('store unavailable');
    });
    writes.request();
    await vi.advanceTimersByTimeAsync(0);
    writes.request();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(2);
    expect(await writes.close()).toBe(false);
  });
});
