import { randomUUID } from 'node:crypto';
import { toError, ValidationError } from '@pharma/shared/errors';
import { type Log, withCorrelationId } from '@pharma/shared/logger';
import { Cron } from 'croner';
import { listSchedules, recordScheduleRun, type ScheduleRow } from '../repositories/schedules.repository.js';
import { type ImportJobDeps, runImportJob } from '../services/import-job.js';

/** Checks a cron pattern and time zone the way the scheduler will read them. */
export function assertValidCron(pattern: string, timezone?: string | null): void {
  try {
    new Cron(pattern, { paused: true, ...(timezone ? { timezone } : {}) }).stop();
  } catch (error) {
    throw new ValidationError(`Invalid schedule: ${toError(error).message}`);
  }
}

/**
 * Runs saved imports on their cron schedule. Each tick is a job of its own and a conditional run: files
 * whose ETag / Last-Modified did not change are skipped and recorded as "unchanged". A tick that comes
 * while the previous run of the same schedule still works is skipped.
 */
export class ImportScheduler {
  private readonly crons = new Map<string, Cron>();
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly deps: ImportJobDeps,
    private readonly logger: Log,
  ) {}

  start(): void {
    for (const schedule of listSchedules(this.deps.db.read)) this.add(schedule);
  }

  add(schedule: ScheduleRow): void {
    this.remove(schedule.id);
    const cron = new Cron(
      schedule.cron,
      { protect: true, name: schedule.id, ...(schedule.timezone ? { timezone: schedule.timezone } : {}) },
      () => this.tick(schedule),
    );
    this.crons.set(schedule.id, cron);
  }

  remove(id: string): void {
    this.crons.get(id)?.stop();
    this.crons.delete(id);
  }

  nextRun(id: string): string | null {
    return this.crons.get(id)?.nextRun()?.toISOString() ?? null;
  }

  /** Runs a schedule now, as a tick would (also what tests use). */
  async tick(schedule: ScheduleRow): Promise<void> {
    const task = this.runOnce(schedule);
    this.running.add(task);
    try {
      await task;
    } finally {
      this.running.delete(task);
    }
  }

  async stop(): Promise<void> {
    for (const cron of this.crons.values()) cron.stop();
    this.crons.clear();
    await Promise.allSettled(this.running);
  }

  private async runOnce(schedule: ScheduleRow): Promise<void> {
    const jobId = randomUUID();
    const runId = randomUUID();
    // Each scheduled run is its own job, not part of the request that created the schedule.
    return withCorrelationId(jobId, () => this.runScheduled(schedule, jobId, runId));
  }

  private async runScheduled(schedule: ScheduleRow, jobId: string, runId: string): Promise<void> {
    const log = this.logger.child({ scheduleId: schedule.id, runId });
    try {
      await this.deps.jobs.create({ id: jobId, kind: 'sales.import', owner: schedule.owner });
      await runImportJob(
        this.deps,
        {
          runId,
          importId: schedule.id,
          jobId,
          scheduleId: schedule.id,
          trigger: 'schedule',
          urls: schedule.urls,
          conditional: true,
        },
        { logger: log },
      );
      await this.deps.db.writeLock.run(() => recordScheduleRun(this.deps.db.write, schedule.id, runId));
    } catch (error) {
      log.error({ err: toError(error) }, 'scheduled import failed to run');
    }
  }
}
