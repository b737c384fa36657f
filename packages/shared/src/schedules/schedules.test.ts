import Fastify from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Log } from '../logger/index.js';
import { checkSchedule, createSchedules, type Schedules, schedulesPlugin } from './index.js';

interface Line {
  level: string;
  obj: Record<string, unknown>;
  msg?: string;
}

function memoryLog(lines: Line[]): Log {
  const at = (level: string) => (obj: object, msg?: string) => lines.push({ level, obj: obj as Line['obj'], msg });
  const log: Log = {
    fatal: at('fatal'),
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    child: () => log,
  };
  return log;
}

/** A run that lasts until it is let go. */
function heldRun() {
  let starts = 0;
  const waiting: (() => void)[] = [];
  const run = () => {
    starts += 1;
    return new Promise<void>((resolve) => {
      waiting.push(resolve);
    });
  };
  const letGo = () => {
    for (const resolve of waiting.splice(0)) resolve();
  };
  return { run, starts: () => starts, letGo };
}

describe('Schedules', () => {
  let lines: Line[];
  let schedules: Schedules;
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-03-01T10:00:00.500Z') });
    lines = [];
    schedules = createSchedules(memoryLog(lines));
  });
  afterEach(async () => {
    await schedules.stop();
    vi.useRealTimers();
  });

  it('runs on each tick and skips a tick that comes while the previous run goes', async () => {
    const held = heldRun();
    schedules.set({ name: 'every-second', cron: '* * * * * *', run: held.run });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(held.starts()).toBe(1);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(held.starts()).toBe(1);
    expect(lines.some((line) => line.msg === 'tick skipped: the previous run still goes')).toBe(true);
    held.letGo();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(held.starts()).toBe(2);
    held.letGo();
  });

  it('tells its next run, is replaced by a second set of the same name, and stops on remove', async () => {
    const first = vi.fn(async () => undefined);
    const second = vi.fn(async () => undefined);
    schedules.set({ name: 'daily', cron: '0 3 * * *', timezone: 'Asia/Tokyo', run: first });
    // 03:00 in Tokyo (UTC+9) is 18:00 UTC the day before.
    expect(schedules.nextRun('daily')?.toISOString()).toBe('2026-03-01T18:00:00.000Z');
    expect(lines.at(-1)).toMatchObject({
      msg: 'schedule active',
      obj: { schedule: 'daily', cron: '0 3 * * *', timezone: 'Asia/Tokyo', next: '2026-03-01T18:00:00.000Z' },
    });
    schedules.set({ name: 'daily', cron: '* * * * * *', run: second });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(2);
    expect(schedules.remove('daily')).toBe(true);
    expect(schedules.has('daily')).toBe(false);
    expect(schedules.nextRun('daily')).toBeNull();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(second).toHaveBeenCalledTimes(2);
  });

  it('runs a schedule now whether or not a run goes on, and logs what a run throws', async () => {
    const held = heldRun();
    schedules.set({ name: 'held', cron: '0 0 1 1 *', run: held.run });
    const first = schedules.runNow('held');
    const second = schedules.runNow('held');
    expect(held.starts()).toBe(2);
    held.letGo();
    schedules.set({
      name: 'failing',
      cron: '0 0 1 1 *',
      run: () => Promise.reject(new Error('database down')),
    });
    await expect(schedules.runNow('failing')).resolves.toBeUndefined();
    expect(lines.find((line) => line.level === 'error')).toMatchObject({
      msg: 'scheduled run failed',
      obj: { schedule: 'failing' },
    });
    await expect(schedules.runNow('unknown')).rejects.toThrow('no schedule named unknown');
    await Promise.all([first, second]);
  });

  it('waits for the runs under way when it stops, and sets nothing afterwards', async () => {
    const held = heldRun();
    schedules.set({ name: 'held', cron: '* * * * * *', run: held.run });
    await vi.advanceTimersByTimeAsync(1_000);
    let stopped = false;
    const stopping = schedules.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(stopped).toBe(false);
    expect(held.starts()).toBe(1);
    held.letGo();
    await stopping;
    schedules.set({ name: 'late', cron: '* * * * * *', run: held.run });
    expect(schedules.has('late')).toBe(false);
  });
});

describe('checkSchedule', () => {
  it.each([
    ['0 3 * * *', undefined, true],
    ['*/15 * * * * *', null, true],
    ['@daily', 'Europe/Paris', true],
    ['every day', undefined, false],
    ['0 3 * * *', 'Mars/Olympus_Mons', false],
    ['61 * * * *', undefined, false],
  ])('%s in %s: %s', (cron, timezone, valid) => {
    if (valid) expect(() => checkSchedule(cron, timezone)).not.toThrow();
    else expect(() => checkSchedule(cron, timezone)).toThrow();
  });
});

describe('schedulesPlugin', () => {
  it('sets the given schedules on app.schedules and stops them when the app closes', async () => {
    const app = Fastify({ logger: false });
    const run = vi.fn(async () => undefined);
    await app.register(schedulesPlugin, { schedules: [{ name: 'plugin-test', cron: '0 0 1 1 *', run }] });
    await app.ready();
    expect(app.schedules.nextRun('plugin-test')).not.toBeNull();
    app.schedules.set({ name: 'added-later', cron: '0 0 1 1 *', run });
    await app.close();
    expect(app.schedules.has('plugin-test')).toBe(false);
    expect(app.schedules.has('added-later')).toBe(false);
  });
});
