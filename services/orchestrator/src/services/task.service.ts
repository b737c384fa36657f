import { stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { pg } from '@pharma/shared/db';
import { toError } from '@pharma/shared/errors';
import {
  claimedAttempt,
  type EndedAttempt,
  loadedTaskRunEnd,
  nextAttempt,
  type TaskAttempt,
  taskRunEnd,
} from '../domain/task-attempt.js';
import { bodyRows } from '../files/table-reader.js';
import { endTaskRun, forgetTaskRun, startTaskRun, type TaskRunStart } from '../repositories/task-runs.repository.js';
import { beginAndRelockTask, type Task } from '../repositories/tasks.repository.js';
import type { ScriptLookupCache } from '../runner/script-resolver.js';
import { loadOutput } from './load.service.js';
import type { RunDeps, TaskResult } from './run.types.js';

/**
 * One registry file, start to end (the steps of `domain/task-attempt.ts`): script → output → header check → move
 * to "ready to load" (the last three in a script worker thread, see `consumers/script-worker.consumer.ts`) → load.
 * Runs inside the caller's transaction that holds the file's row lock; the registry status, the task-run record and
 * the loaded rows are committed together by the caller, so a crash leaves the file as it was (re-runnable).
 */
export async function processTask(
  deps: RunDeps,
  client: pg.PoolClient,
  task: Task,
  runId: string,
  findScript: ScriptLookupCache,
): Promise<TaskResult> {
  const startedAt = performance.now();
  // Recorded on the pool's own connection while the script is looked up; awaited before the script starts.
  const runStarted = startTaskRun(deps.pool, { runId, fileId: task.id, filePath: task.filePath });
  runStarted.catch(() => {});
  const ended = await attemptTask({ deps, client, task, runStarted, startedAt, findScript });
  const run = await runStarted;
  const durationMs = performance.now() - startedAt;
  await writeEnd(client, { fileId: task.id, taskRunId: run.id }, ended, durationMs);
  const interrupted = ended.outcome.status === 'ABANDONED';
  return {
    task,
    outcome: ended.outcome,
    attempt: run.attempt,
    rowsLoaded: ended.facts.rowsLoaded,
    durationMs,
    scriptMs: ended.facts.scriptMs,
    ...(interrupted ? { interrupted } : {}),
    ...(ended.write === 'forget' ? { notStarted: true } : {}),
  };
}

interface AttemptInput {
  deps: RunDeps;
  client: pg.PoolClient;
  task: Task;
  runStarted: Promise<TaskRunStart>;
  /** `performance.now()` when the task began. */
  startedAt: number;
  findScript: ScriptLookupCache;
}

/** The steps of an attempt, each one's result fed to the state machine, until it ends. */
async function attemptTask(input: AttemptInput): Promise<EndedAttempt> {
  const { deps, client, task } = input;
  const { config } = deps;
  let attempt: TaskAttempt = claimedAttempt();
  try {
    const source = resolve(config.intakeRoot, task.filePath);
    // The script and the source file are looked up at once.
    const [script, sourceIsFile] = await Promise.all([
      input.findScript({ provider: task.dataProvider, client: task.clientName, reportType: task.reportType }),
      source.startsWith(config.intakeRoot + sep)
        ? stat(source).then(
            (info) => info.isFile(),
            () => false,
          )
        : undefined,
    ]);
    attempt = nextAttempt(attempt, {
      type: 'looked-up',
      script: script?.path,
      hasClient: Boolean(task.clientName),
      source: sourceIsFile === undefined ? 'outside-root' : sourceIsFile ? 'file' : 'missing',
      sourcePath: source,
    });
    if (attempt.step === 'ended') return attempt;
    if (!script) throw new Error('no script after its lookup');

    const run = await input.runStarted;
    const clientName = task.clientName ?? '';
    const result = await deps.runScript(
      script,
      {
        TASK_ID: String(task.id),
        TASK_FILE: source,
        TASK_CLIENT: clientName,
        TASK_REPORT_TYPE: task.reportType ?? '',
        TASK_OUTPUT_DIR: config.finalDir,
        TASK_HEADER_FILE: deps.header.file,
      },
      {
        finalDir: config.finalDir,
        readyDir: config.readyDir,
        task: { id: task.id, client: clientName, sourceFile: task.filePath },
        columns: deps.header.columns,
        move: { retries: config.moveRetries, retryDelayMs: config.moveRetryDelayMs },
      },
    );
    const stopping = deps.stopSignal?.aborted === true;
    attempt = nextAttempt(attempt, { type: 'script-ended', ...result, stopping, timeoutMs: config.taskTimeoutMs });
    if (attempt.step === 'ended') return attempt;

    // Found, its header checked and moved to "ready to load" by the script runner.
    attempt = nextAttempt(attempt, { type: 'output-checked', output: result.output });
    if (attempt.step === 'ended') return attempt;
    const load = attempt;
    const output = result.output;
    if (load.step !== 'load' || !output?.ok) throw new Error(`no output to load at step ${load.step}`);
    try {
      const rows = await loadOutput(client, {
        sourceFile: task.filePath,
        registryFileId: task.id,
        readyFile: output.readyFile,
        header: output.header,
        rows: bodyRows(output.readyFile, output.body),
        batchRows: config.loadBatchRows,
        taskRunId: run.id,
        end: (rowsLoaded) => loadedTaskRunEnd(load, rowsLoaded, performance.now() - input.startedAt),
      });
      return ended(nextAttempt(load, { type: 'loaded', rows }));
    } catch (error) {
      return ended(nextAttempt(load, { type: 'load-failed', error: toError(error).message }));
    }
  } catch (error) {
    return ended(nextAttempt(attempt, { type: 'crashed', error: toError(error).message }));
  }
}

function ended(attempt: TaskAttempt): EndedAttempt {
  if (attempt.step !== 'ended') throw new Error(`the task attempt did not end (step ${attempt.step})`);
  return attempt;
}

/** Writes an ended attempt as it says (`TaskEndWrite`); the caller commits. */
async function writeEnd(
  client: pg.PoolClient,
  ids: { fileId: number; taskRunId: number },
  ended: EndedAttempt,
  durationMs: number,
): Promise<void> {
  const end = taskRunEnd(ended, durationMs);
  switch (ended.write) {
    case 'with-load':
      return;
    case 'in-task':
      return endTaskRun(client, ids.taskRunId, ids.fileId, end);
    case 'relock': {
      await client.query('ROLLBACK');
      const relocked = await beginAndRelockTask(client, ids.fileId);
      return endTaskRun(client, ids.taskRunId, relocked ? ids.fileId : null, end);
    }
    case 'run-only':
      await client.query('ROLLBACK');
      await client.query('BEGIN');
      return endTaskRun(client, ids.taskRunId, null, end);
    case 'forget':
      await client.query('ROLLBACK');
      await client.query('BEGIN');
      return forgetTaskRun(client, ids.taskRunId);
  }
}
