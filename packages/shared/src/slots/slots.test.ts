import { describe, expect, it, vi } from 'vitest';
import { FifoSlots, type SlotGrant, SlotWaitExpired } from './index.js';

const LONG = 60_000;
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('FifoSlots', () => {
  it('grants up to the limit at once and hands freed slots to waiters in arrival order', async () => {
    const slots = new FifoSlots(2);
    const order: number[] = [];
    const grants = new Map<number, SlotGrant>();
    let most = 0;
    for (let i = 0; i < 6; i += 1) {
      void slots.acquire(LONG).then((grant) => {
        order.push(i);
        grants.set(i, grant);
        most = Math.max(most, slots.active);
      });
    }
    await flush();
    expect(order).toEqual([0, 1]);
    expect(slots.queued).toBe(4);
    // Free in an order unrelated to arrival: the queue still moves front first.
    for (const i of [1, 0, 3, 2, 5, 4]) {
      grants.get(i)?.release();
      await flush();
    }
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(most).toBe(2);
    expect(slots.active).toBe(0);
    expect(slots.queued).toBe(0);
  });

  it('does not let a newcomer overtake a waiter when a slot frees', async () => {
    const slots = new FifoSlots(1);
    const first = await slots.acquire(LONG);
    const order: string[] = [];
    void slots.acquire(LONG).then(() => order.push('waiter'));
    first.release();
    void slots.acquire(LONG).then(() => order.push('newcomer'));
    await flush();
    expect(order).toEqual(['waiter']);
    expect(slots.queued).toBe(1);
  });

  it('rejects a waiter after its own wait limit and leaves the slots as they were', async () => {
    const states: { active: number; queued: number }[] = [];
    let clock = 1_000;
    const slots = new FifoSlots(1, { onChange: (state) => states.push(state), now: () => clock });
    const held = await slots.acquire(LONG);
    const patient = slots.acquire(LONG);
    clock += 7;
    const hasty = slots.acquire(1);
    await expect(hasty).rejects.toBeInstanceOf(SlotWaitExpired);
    await expect(hasty).rejects.toMatchObject({ waitedMs: 0 });
    expect(slots.queued).toBe(1);
    clock += 5;
    held.release();
    held.release(); // a second release must not free a second slot
    const grant = await patient;
    expect(grant.waitedMs).toBe(12);
    expect(slots.active).toBe(1);
    grant.release();
    expect(slots.active).toBe(0);
    expect(states.at(-1)).toEqual({ active: 0, queued: 0 });
    expect(Math.max(...states.map((state) => state.active))).toBe(1);
  });

  it('keeps a waiter without a wait limit queued until a slot frees', async () => {
    vi.useFakeTimers();
    try {
      const slots = new FifoSlots(1);
      const held = await slots.acquire();
      let granted = false;
      void slots.acquire().then(() => {
        granted = true;
      });
      await vi.advanceTimersByTimeAsync(24 * 3_600_000);
      expect(granted).toBe(false);
      expect(slots.queued).toBe(1);
      held.release();
      await vi.advanceTimersByTimeAsync(0);
      expect(granted).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('runs tasks under a slot, one after the other in asking order with a limit of 1, whatever each one does', async () => {
    const slots = new FifoSlots(1);
    const events: string[] = [];
    const task = (name: string, outcome: 'ok' | 'throw') => async () => {
      events.push(`${name} start`);
      await flush();
      events.push(`${name} end`);
      if (outcome === 'throw') throw new Error(name);
      return name;
    };
    const results = await Promise.allSettled([
      slots.run(task('a', 'ok')),
      slots.run(task('b', 'throw')),
      slots.run(() => {
        events.push('c sync');
        return 'c';
      }),
      slots.run(task('d', 'ok')),
    ]);
    expect(results.map((result) => (result.status === 'fulfilled' ? result.value : 'rejected'))).toEqual([
      'a',
      'rejected',
      'c',
      'd',
    ]);
    expect(events).toEqual(['a start', 'a end', 'b start', 'b end', 'c sync', 'd start', 'd end']);
    expect(slots.active).toBe(0);
    await expect(slots.run(() => 'free again')).resolves.toBe('free again');
  });

  it('refuses a limit below one', () => {
    expect(() => new FifoSlots(0)).toThrow(RangeError);
  });
});
