import { toError } from '@pharma/shared/errors';
import type { JobStore } from '@pharma/shared/messaging';
import { backoffDelay } from '@pharma/shared/retry';

/**
 * A run request given up (its last delivery failed, e.g. PostgreSQL down through every retry) ends its job as
 * failed, so no job shows `running` forever; the files it did not do are taken by the next run.
 */
export async function failRunJob(jobs: JobStore, jobId: string, error: unknown): Promise<void> {
  const message = toError(error).message;
  await jobs.update(jobId, (job) => ({
    status: 'failed',
    progress: { ...job.progress, stage: 'failed' },
    errors: [...job.errors, { item: 'run', code: 'RUN_FAILED', message }],
  }));
}

/** Redeliveries of a run request wait 5 s, then 10 s: enough for a database restart, not the 0.5 s + 1 s default. */
export const runRetryDelayMs = (deliveryCount: number) => backoffDelay(deliveryCount, { baseMs: 5_000, maxMs: 30_000 });
