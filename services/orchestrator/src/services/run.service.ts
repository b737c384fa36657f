import { toError } from '@pharma/shared/errors';
import { FifoSlots } from '@pharma/shared/slots';
import { cleanFinalReports, cleanPartialCopies } from '../files/final-reports-cleaner.js';
import { writeNewFilesRegistry } from '../files/new-files-registry.js';
import { finishRun, insertRun } from '../repositories/runs.repository.js';
import { beginAndClaimNextTask, countEligibleTasks, listEligibleFiles } from '../repositories/tasks.repository.js';
import type { ScriptOutcome } from '../runner/script-outcome.js';
import { cachedScriptLookup } from '../runner/script-resolver.js';
import type { RunDeps, RunFailure, RunRequest, RunResult, RunStatus, TaskResult } from './run.types.js';
import { processTask } from './task.service.js';

const MAX_FAILURES_KEPT = 1_000;
export const STOPPED_RUN_ERROR =
  'STOPPED: the service stopped during the run; the files not done are taken by the next run';

/**
 * One orchestrator run. A session advisory lock per lock scope makes a second runner of the same scope end at
 * once as `locked` without touching any task; runners of different scopes (other machines) share the queue,
 * row locks (`FOR UPDATE SKIP LOCKED`) keeping any file from being run twice at once.
 */
export async function runOrchestrator(deps: RunDeps, request: RunRequest): Promise<RunResult> {
  const { pool, config, logger } = deps;
  const startedAt = new Date().toISOString();
  const lockClient = await pool.connect();
  let locked = false;
  try {
    const got = await lockClient.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [
      `orchestrator:run:${config.lockScope}`,
    ]);
    locked = got.rows[0]?.ok === true;
    if (!locked) {
      logger.info({ runId: request.runId, scope: config.lockScope }, 'another run holds the lock');
      const result = finish(request.runId, 'locked', startedAt, {}, [], 0, 'another run holds the lock (LOCKED)');
      await insertRun(pool, {
        id: request.runId,
        trigger: request.trigger,
        lockScope: config.lockScope,
        status: 'locked',
      });
      await finishRun(pool, request.runId, { status: 'locked', counts: {}, error: 'LOCKED' });
      await deps.events.runCompleted(result, request);
      return result;
    }
    await insertRun(pool, {
      id: request.runId,
      trigger: request.trigger,
      lockScope: config.lockScope,
      status: 'running',
    });
    const result = await runTasks(deps, request, startedAt);
    await finishRun(pool, request.runId, { status: result.status, counts: result.counts, error: result.error });
    await deps.events.runCompleted(result, request);
    return result;
  } finally {
    if (locked) {
      await lockClient
        .query('SELECT pg_advisory_unlock(hashtext($1))', [`orchestrator:run:${config.lockScope}`])
        .catch(() => {});
    }
    lockClient.release();
  }
}

async function runTasks(deps: RunDeps, request: RunRequest, startedAt: string): Promise<RunResult> {
  const { pool, config, logger } = deps;
  const total = await countEligibleTasks(pool);
  await writeLegacyRegistry(deps);
  const counts: Record<string, number> = {};
  const failures: RunFailure[] = [];
  const attempted = new Set<number>();
  const running = new Set<number>();
  let cursor = 0;
  let done = 0;
  let cancelled = false;
  let stopped = false;
  let error: string | undefined;
  const findScript = cachedScriptLookup(config.scriptsDir);
  // At most `concurrency` scripts at once, but more tasks under way (lanesFor): while a script runs, other lanes
  // claim and prepare the next tasks or load and record the last ones, so a script slot seldom waits for them.
  const scriptSlots = new FifoSlots(config.concurrency);
  const taskDeps: RunDeps = {
    ...deps,
    runScript: async (script, env, check) => {
      const slot = await scriptSlots.acquire();
      try {
        if (deps.stopSignal?.aborted) return notStarted();
        return await deps.runScript(script, env, check);
      } finally {
        slot.release();
      }
    },
  };

  const record = (result: TaskResult) => {
    done++;
    counts[result.outcome.status] = (counts[result.outcome.status] ?? 0) + 1;
    if (result.outcome.reason) counts[result.outcome.reason] = (counts[result.outcome.reason] ?? 0) + 1;
    // A task cut by a stop is no failure of its file (left as it was): counted, not listed.
    if (result.outcome.status !== 'CREATED' && !result.interrupted && failures.length < MAX_FAILURES_KEPT) {
      failures.push({
        filePath: result.task.filePath,
        status: result.outcome.status,
        reason: result.outcome.reason ?? 'UNKNOWN',
        detail: result.outcome.detail,
      });
    }
    request.onTaskFinished?.(result, { done, total: Math.max(total, done), counts });
  };

  const shouldStop = async () => {
    if (cancelled || error || stopped) return true;
    if (deps.stopSignal?.aborted) {
      stopped = true;
      logger.info({ runId: request.runId, running: running.size }, 'service stopping: no more tasks claimed');
      return true;
    }
    cancelled = request.cancelSignal?.aborted === true;
    return cancelled;
  };

  const worker = async () => {
    while (!(await shouldStop())) {
      const client = await pool.connect();
      let result: TaskResult | undefined;
      let claimedId: number | undefined;
      try {
        const task = await beginAndClaimNextTask(client, cursor);
        if (!task) {
          await client.query('ROLLBACK');
          return;
        }
        cursor = Math.max(cursor, task.id);
        // A file this run already did (finished by a sibling just before this claim) waits for the next run.
        if (attempted.has(task.id)) {
          await client.query('ROLLBACK');
          continue;
        }
        attempted.add(task.id);
        claimedId = task.id;
        running.add(task.id);
        result = await processTask(taskDeps, client, task, request.runId, findScript);
        await client.query('COMMIT');
      } catch (thrown) {
        await client.query('ROLLBACK').catch(() => {});
        error = toError(thrown).message;
        logger.error({ err: toError(thrown), runId: request.runId, taskId: claimedId }, 'task could not be recorded');
      } finally {
        if (claimedId !== undefined) running.delete(claimedId);
        client.release();
      }
      if (result?.notStarted) continue;
      if (result?.interrupted) record(result);
      else if (result) {
        record(result);
        await deps.events
          .taskUpdated(request.runId, result)
          .catch((thrown) => logger.warn({ err: toError(thrown) }, 'task event not published'));
      }
    }
  };

  await Promise.all(Array.from({ length: lanesFor(config.concurrency) }, worker));
  const removed = [
    ...(await cleanFinalReports(config.finalDir, config.finalMaxAgeMs, running).catch(() => [])),
    // A copy in progress is younger than a task's timeout; older ones belong to a dead runner.
    ...(await cleanPartialCopies(config.readyDir, config.taskTimeoutMs * 2).catch(() => [])),
  ];
  if (removed.length > 0) logger.info({ removed: removed.length }, 'old final reports removed');
  const status: RunStatus = error || stopped ? 'failed' : cancelled ? 'cancelled' : 'succeeded';
  const result = finish(
    request.runId,
    status,
    startedAt,
    counts,
    failures,
    done,
    error ?? (stopped ? STOPPED_RUN_ERROR : undefined),
  );
  return stopped && !error ? { ...result, stopped } : result;
}

/**
 * The original client scripts read the run's files from `Reestr/new_files_registry.csv` beside their provider
 * folders: written before the first task. A run goes on without it (logged): only legacy scripts need it.
 */
async function writeLegacyRegistry({ pool, config, logger }: RunDeps): Promise<void> {
  try {
    await writeNewFilesRegistry(config.scriptsDir, await listEligibleFiles(pool));
  } catch (thrown) {
    logger.warn({ err: toError(thrown), scriptsDir: config.scriptsDir }, 'new_files_registry.csv not written');
  }
}

const notStarted = (): ScriptOutcome => ({
  exitCode: 1,
  timedOut: false,
  lost: true,
  notStarted: true,
  durationMs: 0,
  stdout: '',
  stderr: '',
  error: 'the service stopped before the script started',
});

/**
 * Tasks under way at once for `concurrency` scripts at once, each holding a database connection: a twin lane per
 * script slot, and one more, so that even one slot has a task being prepared and one being finished beside it.
 */
export const lanesFor = (concurrency: number) => concurrency * 2 + 1;

function finish(
  runId: string,
  status: RunStatus,
  startedAt: string,
  counts: Record<string, number>,
  failures: RunFailure[],
  tasks: number,
  error?: string,
): RunResult {
  return { runId, status, tasks, counts, failures, startedAt, completedAt: new Date().toISOString(), error };
}
