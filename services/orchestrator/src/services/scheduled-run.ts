import { randomUUID } from 'node:crypto';
import { toError } from '@pharma/shared/errors';
import { type Log, withCorrelationId } from '@pharma/shared/logger';
import type { Schedule } from '@pharma/shared/schedules';
import { type RunJobDeps, runAsJob } from './run-job.service.js';

/** The run on `ORCHESTRATOR_CRON`: each run is a job of its own; a tick while a run still goes is skipped. */
export function scheduledRun(cron: string, deps: RunJobDeps, log: Log): Schedule {
  return {
    name: 'orchestrator-run',
    cron,
    run: async () => {
      if (deps.stopSignal?.aborted) return;
      const jobId = `orchestrator-${randomUUID()}`;
      // Its job id is its correlation id (a scheduled run has no caller to inherit one from).
      await withCorrelationId(jobId, async () => {
        await deps.jobs.create({ id: jobId, kind: 'orchestrator.run', owner: 'system' });
        await runAsJob(deps, jobId, 'schedule', { correlationId: jobId });
      }).catch((error) => log.error({ err: toError(error), jobId }, 'scheduled run failed'));
    },
  };
}
