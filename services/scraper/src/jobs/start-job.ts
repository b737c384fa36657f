import type { Job, JobStore } from '@pharma/shared/messaging';
import { isFinal } from '@pharma/shared/messaging';

/**
 * Marks a requested job running, creating it when a script published the request without one. Returns
 * undefined when the job already finished (a redelivery after the work was done, or a cancelled job).
 */
export async function startJob(
  jobs: JobStore,
  input: { id: string; kind: Job['kind']; owner: string; correlationId?: string | undefined },
  stage: string,
): Promise<Job | undefined> {
  let job = await jobs.get(input.id);
  if (!job) {
    try {
      job = await jobs.create({
        id: input.id,
        kind: input.kind,
        owner: input.owner,
        ...(input.correlationId ? { correlationId: input.correlationId } : {}),
      });
    } catch {
      job = await jobs.require(input.id);
    }
  }
  if (isFinal(job)) return undefined;
  if (job.cancelRequested) {
    await jobs.update(input.id, () => ({ status: 'cancelled', progress: { ...job.progress, stage: 'cancelled' } }));
    return undefined;
  }
  return jobs.update(input.id, () => ({ status: 'running', progress: { done: 0, total: 0, stage } }));
}
