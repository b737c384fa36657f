import { randomUUID } from 'node:crypto';
import { toError, ValidationError } from '@pharma/shared/errors';
import { type Log, withCorrelationId } from '@pharma/shared/logger';
import { checkSchedule, type Schedule, type Schedules } from '@pharma/shared/schedules';
import { listSchedules, recordScheduleRun, type ScheduleRow } from '../repositories/schedules.repository.js';
import { type ImportJobDeps, runImportJob } from '../services/import-job.js';

/** Checks a cron pattern and time zone the way the schedules will read them. */
export function assertValidCron(pattern: string, timezone?: string | null): void {
  try {
    checkSchedule(pattern, timezone);
  } catch (error) {
    throw new ValidationError(`Invalid schedule: ${toError(error).message}`);
  }
}

export interface ImportSchedules {
  /** Sets every saved schedule (at start, when schedules are enabled). */
  load(): void;
  /** Sets a schedule just saved, or replaces the one of the same id. */
  add(row: ScheduleRow): void;
  remove(id: string): void;
  nextRun(id: string): string | null;
  /** Runs a set schedule now, as a tick would (also what tests use). */
  tick(row: ScheduleRow): Promise<void>;
}

/**
 * Saved imports (the `schedules` table, edited over NATS) on the service's shared schedules, one per row, named
 * by its id. Each tick is a job of its own and a conditional run: files whose ETag / Last-Modified did not
 * change are skipped and recorded as "unchanged". A tick that comes while the previous run of the same schedule
 * still works is skipped.
 */
export function createImportSchedules(schedules: Schedules, deps: ImportJobDeps, logger: Log): ImportSchedules {
  const toSchedule = (row: ScheduleRow): Schedule => ({
    name: row.id,
    cron: row.cron,
    ...(row.timezone ? { timezone: row.timezone } : {}),
    run: () => runScheduled(deps, logger, row),
  });
  return {
    load: () => {
      for (const row of listSchedules(deps.db.read)) schedules.set(toSchedule(row));
    },
    add: (row) => schedules.set(toSchedule(row)),
    remove: (id) => void schedules.remove(id),
    nextRun: (id) => schedules.nextRun(id)?.toISOString() ?? null,
    tick: (row) => schedules.runNow(row.id),
  };
}

async function runScheduled(deps: ImportJobDeps, logger: Log, schedule: ScheduleRow): Promise<void> {
  const jobId = randomUUID();
  const runId = randomUUID();
  const log = logger.child({ scheduleId: schedule.id, runId });
  // Each scheduled run is its own job, not part of the request that created the schedule.
  await withCorrelationId(jobId, async () => {
    try {
      await deps.jobs.create({ id: jobId, kind: 'sales.import', owner: schedule.owner });
      await runImportJob(
        deps,
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
      await deps.db.writeLock.run(() => recordScheduleRun(deps.db.write, schedule.id, runId));
    } catch (error) {
      log.error({ err: toError(error) }, 'scheduled import failed to run');
    }
  });
}
