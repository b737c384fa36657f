import { Cron } from 'croner';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { toError } from '../errors/index.js';
import type { Log } from '../logger/index.js';

export interface Schedule {
  /** Unique within the process (croner keeps named jobs in one registry); a second `set` replaces the first. */
  name: string;
  /** Croner pattern (5 or 6 fields, or a nickname such as `@daily`). */
  cron: string;
  /** IANA zone the pattern is read in; none: the process's zone. */
  timezone?: string;
  /** One run. Its errors should be handled inside (with the job it runs); anything left is logged here. */
  run: () => Promise<void>;
}

/** Whether `checkSchedule` accepts the pattern and the zone (for config checks). */
export function isValidSchedule(cron: string, timezone?: string | null): boolean {
  try {
    checkSchedule(cron, timezone);
    return true;
  } catch {
    return false;
  }
}

/** Throws croner's own message when the pattern or the zone would not be accepted. */
export function checkSchedule(cron: string, timezone?: string | null): void {
  const probe = new Cron(cron, { paused: true, ...(timezone ? { timezone } : {}) });
  try {
    // The zone is only read when a date is computed.
    probe.nextRun();
  } finally {
    probe.stop();
  }
}

/**
 * Cron schedules of a service, changeable while it runs. A tick that comes while the previous run of the same
 * schedule still goes is skipped (croner's `protect`), so runs of one schedule never overlap; `stop` stops every
 * schedule and waits for the runs under way. After `stop`, `set` does nothing: a request that arrives while the
 * service closes cannot start a timer nobody would stop.
 */
export interface Schedules {
  /** Adds a schedule, or replaces the one of the same name (a run of the old one under way goes on). */
  set(schedule: Schedule): void;
  remove(name: string): boolean;
  has(name: string): boolean;
  nextRun(name: string): Date | null;
  /** Runs a schedule now, as a tick would but whether or not a run goes on; resolves when it has ended. */
  runNow(name: string): Promise<void>;
  stop(): Promise<void>;
}

// An interface, not the class, is what callers see: the same type whether read from sources or from the build.
export function createSchedules(log: Log): Schedules {
  return new CronSchedules(log);
}

class CronSchedules implements Schedules {
  private readonly crons = new Map<string, { cron: Cron; schedule: Schedule }>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly log: Log) {}

  set(schedule: Schedule): void {
    if (this.stopped) return;
    this.remove(schedule.name);
    const cron = new Cron(
      schedule.cron,
      {
        name: schedule.name,
        protect: () => this.log.debug({ schedule: schedule.name }, 'tick skipped: the previous run still goes'),
        ...(schedule.timezone ? { timezone: schedule.timezone } : {}),
      },
      () => this.track(schedule),
    );
    this.crons.set(schedule.name, { cron, schedule });
    this.log.info(
      {
        schedule: schedule.name,
        cron: schedule.cron,
        timezone: schedule.timezone,
        next: cron.nextRun()?.toISOString(),
      },
      'schedule active',
    );
  }

  remove(name: string): boolean {
    const entry = this.crons.get(name);
    entry?.cron.stop();
    return this.crons.delete(name);
  }

  has(name: string): boolean {
    return this.crons.has(name);
  }

  nextRun(name: string): Date | null {
    return this.crons.get(name)?.cron.nextRun() ?? null;
  }

  async runNow(name: string): Promise<void> {
    const entry = this.crons.get(name);
    if (!entry) throw new Error(`no schedule named ${name}`);
    await this.track(entry.schedule);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const { cron } of this.crons.values()) cron.stop();
    this.crons.clear();
    await Promise.allSettled(this.running);
  }

  /** A run that `stop` waits for; what it throws is logged, never left unhandled. */
  private track(schedule: Schedule): Promise<void> {
    const task = schedule.run().catch((error: unknown) => {
      this.log.error({ err: toError(error), schedule: schedule.name }, 'scheduled run failed');
    });
    this.running.add(task);
    return task.finally(() => this.running.delete(task));
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    schedules: Schedules;
  }
}

export interface SchedulesPluginOptions {
  /** Schedules active from the start; more can be set on `app.schedules` while the service runs. */
  schedules?: Schedule[];
}

/** `app.schedules`, stopped before the service closes (a run under way is waited for). */
export const schedulesPlugin = fp<SchedulesPluginOptions>(
  async (app: FastifyInstance, options) => {
    const schedules = createSchedules(app.log.child({ module: 'schedules' }));
    app.decorate('schedules', schedules);
    for (const schedule of options.schedules ?? []) schedules.set(schedule);
    app.addHook('preClose', async () => {
      await schedules.stop();
    });
  },
  { name: 'schedules' },
);
