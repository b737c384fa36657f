import { UnavailableError } from '@pharma/shared/errors';
import { type JobRun, openJob, withJob } from '@pharma/shared/jobs';
import type { JobStore, NatsContext } from '@pharma/shared/messaging';
import { runOrchestrator } from './run.service.js';
import type { RunDeps, RunResult, RunTrigger } from './run.types.js';

export interface RunJobDeps extends RunDeps {
  jobs: JobStore;
  nats: NatsContext;
}

const PROGRESS_EVERY_MS = 250;
const HEARTBEAT_MS = 15_000;

/**
 * A run as a job (its id is the run id; created if the request came without one): progress while tasks finish,
 * per-file errors, counts as the result. Undefined when the job had already ended or its cancellation came first.
 */
export async function runAsJob(
  deps: RunJobDeps,
  jobId: string,
  trigger: RunTrigger,
  options: { correlationId?: string; onProgress?: () => void } = {},
): Promise<RunResult | undefined> {
  const identity = {
    id: jobId,
    kind: 'orchestrator.run' as const,
    owner: 'system',
    correlationId: options.correlationId,
  };
  // A request that arrives while the service stops is left (queued) for the next instance: redelivered, not run.
  if (deps.stopSignal?.aborted) {
    await openJob(deps.jobs, identity);
    throw new UnavailableError('SERVICE_STOPPING', 'the orchestrator is stopping: the run is left for the next start');
  }
  return withJob(deps.jobs, identity, { progressIntervalMs: PROGRESS_EVERY_MS }, async (run) => {
    // Keeps the triggering message from being redelivered while one long task runs (no task finishes meanwhile).
    const heartbeat = options.onProgress ? setInterval(options.onProgress, HEARTBEAT_MS) : undefined;
    const result = await runOrchestrator(deps, {
      runId: jobId,
      trigger,
      jobId,
      correlationId: options.correlationId,
      cancelSignal: run.signal,
      onTaskFinished: (_result, progress) => {
        options.onProgress?.();
        run.report(progress.done, progress.total, 'running');
      },
    }).finally(() => clearInterval(heartbeat));
    await finish(run, result);
    return result;
  });
}

function finish(run: JobRun, result: RunResult) {
  const { runId, status, tasks, counts, startedAt, completedAt } = result;
  const summary = { runId, status, tasks, counts, startedAt, completedAt };
  const progress = { done: result.tasks, total: result.tasks, stage: 'done' };
  if (result.status === 'locked') {
    const reason = { item: 'run', code: 'LOCKED', message: 'another orchestrator run holds the lock' };
    return run.finish('failed', summary, { progress, errors: [reason] });
  }
  for (const failure of result.failures) {
    run.addError(failure.filePath, failure.reason, failure.detail ?? failure.reason);
  }
  if (result.stopped) {
    const reason = { item: 'run', code: 'STOPPED', message: result.error ?? 'the service stopped during the run' };
    return run.finish(
      'failed',
      { ...summary, stopped: true },
      { progress: { ...progress, stage: 'stopped' }, errors: [reason] },
    );
  }
  if (result.status === 'failed') {
    const reason = { item: 'run', code: 'RUN_FAILED', message: result.error ?? 'run failed' };
    return run.finish('failed', summary, { progress, errors: [reason] });
  }
  return run.finish(result.status === 'cancelled' ? 'cancelled' : 'succeeded', summary, { progress });
}
