import { UnavailableError } from '@pharma/shared/errors';
import type { JobPatch, JobStore, NatsContext } from '@pharma/shared/messaging';
import { runOrchestrator } from './run.service.js';
import type { RunDeps, RunResult, RunTrigger } from './run.types.js';

export interface RunJobDeps extends RunDeps {
  jobs: JobStore;
  nats: NatsContext;
}

const PROGRESS_EVERY_MS = 250;
const HEARTBEAT_MS = 15_000;
const MAX_ITEM_ERRORS = 500;

/** A run as a job (its id is the run id): progress while tasks finish, per-file errors, counts as the result. */
export async function runAsJob(
  deps: RunJobDeps,
  jobId: string,
  trigger: RunTrigger,
  options: { correlationId?: string; onProgress?: () => void } = {},
): Promise<RunResult> {
  const { jobs } = deps;
  // A request that arrives while the service stops is left (queued) for the next instance: redelivered, not run.
  if (deps.stopSignal?.aborted) {
    throw new UnavailableError('SERVICE_STOPPING', 'the orchestrator is stopping: the run is left for the next start');
  }
  await jobs.update(jobId, () => ({ status: 'running', progress: { done: 0, total: 0, stage: 'running' } }));
  let lastUpdate = 0;
  let pending: Promise<unknown> = Promise.resolve();
  // Keeps the triggering message from being redelivered while one long task runs (no task finishes meanwhile).
  const heartbeat = options.onProgress ? setInterval(options.onProgress, HEARTBEAT_MS) : undefined;
  const result = await runOrchestrator(deps, {
    runId: jobId,
    trigger,
    jobId,
    correlationId: options.correlationId,
    isCancelled: async () => (await jobs.get(jobId))?.cancelRequested === true,
    onTaskFinished: (_result, progress) => {
      options.onProgress?.();
      if (Date.now() - lastUpdate < PROGRESS_EVERY_MS) return;
      lastUpdate = Date.now();
      pending = pending.then(() =>
        jobs
          .update(jobId, () => ({ progress: { done: progress.done, total: progress.total, stage: 'running' } }))
          .catch(() => {}),
      );
    },
  }).finally(() => clearInterval(heartbeat));
  await pending;
  await jobs.update(jobId, () => finalPatch(result));
  return result;
}

function finalPatch(result: RunResult): JobPatch {
  const summary = {
    runId: result.runId,
    status: result.status,
    tasks: result.tasks,
    counts: result.counts,
    startedAt: result.startedAt,
    completedAt: result.completedAt,
  };
  const progress = { done: result.tasks, total: result.tasks, stage: 'done' };
  if (result.status === 'locked') {
    return {
      status: 'failed',
      result: summary,
      progress,
      errors: [{ item: 'run', code: 'LOCKED', message: 'another orchestrator run holds the lock' }],
    };
  }
  const errors = result.failures
    .slice(0, MAX_ITEM_ERRORS)
    .map((failure) => ({ item: failure.filePath, code: failure.reason, message: failure.detail ?? failure.reason }));
  if (result.stopped) {
    errors.push({ item: 'run', code: 'STOPPED', message: result.error ?? 'the service stopped during the run' });
    return {
      status: 'failed',
      result: { ...summary, stopped: true },
      progress: { ...progress, stage: 'stopped' },
      errors,
    };
  }
  if (result.status === 'failed') {
    errors.push({ item: 'run', code: 'RUN_FAILED', message: result.error ?? 'run failed' });
    return { status: 'failed', result: summary, progress, errors };
  }
  return { status: result.status === 'cancelled' ? 'cancelled' : 'succeeded', result: summary, progress, errors };
}
