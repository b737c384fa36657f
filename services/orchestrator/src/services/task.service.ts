import { stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { pg } from '@pharma/shared/db';
import { toError } from '@pharma/shared/errors';
import { created, failed, noScript, REASONS, returnCodeReason, stopped, type TaskOutcome } from '../domain/reasons.js';
import { bodyRows } from '../files/table-reader.js';
import { replaceFileRows } from '../repositories/primary-data.repository.js';
import {
  forgetTaskRun,
  recordTaskEnd,
  startTaskRun,
  type TaskRunEnd,
  type TaskRunStart,
  taskEndSql,
  taskEndValues,
} from '../repositories/task-runs.repository.js';
import type { Task } from '../repositories/tasks.repository.js';
import { ELIGIBLE_STATUSES } from '../repositories/tasks.repository.js';
import type { ScriptLookupCache } from '../runner/script-resolver.js';
import type { RunDeps, TaskResult } from './run.types.js';

/**
 * One registry file, start to end: script → output → header check → move to "ready to load" (the last three in a
 * script worker thread) → load. Runs inside the caller's transaction that holds the file's row lock; the registry
 * status, the task-run record and the loaded rows are committed together by the caller, so a crash leaves the file
 * as it was (re-runnable).
 *
 * A loaded file's end (registry status, task run) is written by the load's last statement. A load that fails has
 * aborted the transaction: it is rolled back and the failure recorded in a new one, which takes the row lock again
 * (SKIP LOCKED: if another runner took the file meanwhile, only the task run is closed, the file is its to write).
 */
export async function processTask(
  deps: RunDeps,
  client: pg.PoolClient,
  task: Task,
  runId: string,
  findScript: ScriptLookupCache,
): Promise<TaskResult> {
  const started = performance.now();
  // Recorded on the pool's own connection while the script is looked up; awaited before the script starts.
  const runStarted = startTaskRun(deps.pool, { runId, fileId: task.id, filePath: task.filePath });
  runStarted.catch(() => {});
  const record: Partial<TaskRunEnd> = {};
  const state: LoadState = { ended: false, aborted: false, notStarted: false };
  let outcome: TaskOutcome;
  try {
    outcome = await convertAndLoad(deps, client, task, record, runStarted, started, state, findScript);
  } catch (error) {
    outcome = failed(REASONS.INTERNAL, toError(error).message);
  }
  const run = await runStarted;
  const durationMs = performance.now() - started;
  const interrupted = outcome.status === 'ABANDONED';
  if (state.notStarted) {
    // Nothing was attempted: the file as it was, and no task run to show for it.
    await client.query('ROLLBACK');
    await client.query('BEGIN');
    await forgetTaskRun(client, run.id);
  } else if (!state.ended) {
    let fileId: number | null = task.id;
    if (interrupted) {
      // As after a crash: the file as it was (the next run takes it), only its task run closed.
      await client.query('ROLLBACK');
      await client.query('BEGIN');
      fileId = null;
    } else if (state.aborted) {
      await client.query('ROLLBACK');
      fileId = (await relock(client, task.id)) ? task.id : null;
    }
    await recordTaskEnd(client, fileId, run.id, {
      ...record,
      status: outcome.status,
      reason: outcome.reason,
      detail: outcome.detail,
      durationMs,
    });
  }
  return {
    task,
    outcome,
    attempt: run.attempt,
    rowsLoaded: record.rowsLoaded,
    durationMs,
    scriptMs: record.scriptMs,
    ...(interrupted ? { interrupted } : {}),
    ...(state.notStarted ? { notStarted: true } : {}),
  };
}

interface LoadState {
  /** The task's end was written with the load. */
  ended: boolean;
  /** A failed load aborted the task's transaction. */
  aborted: boolean;
  /** The script never started (the service stopped first): no attempt happened. */
  notStarted: boolean;
}

/** The file's row lock again, in a new transaction, if it is still free and the file still to be done. */
async function relock(client: pg.PoolClient, id: number): Promise<boolean> {
  const results = (await client.query(
    `BEGIN; SELECT id FROM ops.file_registry WHERE id = ${Number(id)} AND status IN (${ELIGIBLE_STATUSES})
      FOR UPDATE SKIP LOCKED`,
  )) as unknown as pg.QueryResult[];
  return (results[1]?.rows.length ?? 0) > 0;
}

async function convertAndLoad(
  deps: RunDeps,
  client: pg.PoolClient,
  task: Task,
  record: Partial<TaskRunEnd>,
  runStarted: Promise<TaskRunStart>,
  started: number,
  state: LoadState,
  findScript: ScriptLookupCache,
): Promise<TaskOutcome> {
  const { config } = deps;
  const source = resolve(config.intakeRoot, task.filePath);
  // The script and the source file are looked up at once.
  const [script, sourceIsFile] = await Promise.all([
    findScript({ provider: task.dataProvider, client: task.clientName, reportType: task.reportType }),
    source.startsWith(config.intakeRoot + sep)
      ? stat(source).then(
          (info) => info.isFile(),
          () => false,
        )
      : undefined,
  ]);
  if (!script || !task.clientName) return noScript();
  record.script = script.path;
  if (sourceIsFile === undefined) return failed(REASONS.NO_SOURCE_FILE, 'path outside the intake root');
  if (!sourceIsFile) return failed(REASONS.NO_SOURCE_FILE, source);

  const run = await runStarted;
  const result = await deps.runScript(
    script,
    {
      TASK_ID: String(task.id),
      TASK_FILE: source,
      TASK_CLIENT: task.clientName,
      TASK_REPORT_TYPE: task.reportType ?? '',
      TASK_OUTPUT_DIR: config.finalDir,
      TASK_HEADER_FILE: deps.header.file,
    },
    {
      finalDir: config.finalDir,
      readyDir: config.readyDir,
      task: { id: task.id, client: task.clientName, sourceFile: task.filePath },
      columns: deps.header.columns,
      move: { retries: config.moveRetries, retryDelayMs: config.moveRetryDelayMs },
    },
  );
  if (result.notStarted) {
    state.notStarted = true;
    return stopped(result.error ?? 'not started');
  }
  record.scriptMs = result.durationMs;
  record.exitCode = result.exitCode;
  record.stdoutTail = result.stdout;
  record.stderrTail = result.stderr;
  if (result.lost && deps.stopSignal?.aborted)
    return stopped(`the service stopped: ${result.error ?? 'script killed'}`);
  if (result.lost) return failed(REASONS.RUNNER_LOST, result.error);
  if (result.timedOut) return failed(REASONS.TIMEOUT, `no end after ${config.taskTimeoutMs} ms`);
  if (result.exitCode !== 0) return failed(returnCodeReason(result.exitCode), result.error);

  // Found, its header checked and moved to "ready to load" by the script runner.
  const output = result.output;
  if (!output) return failed(REASONS.INTERNAL, 'the script runner checked no output');
  record.outputFile = output.outputFile;
  if (!output.ok) return failed(output.reason, output.detail);
  record.readyFile = output.readyFile;

  try {
    record.rowsLoaded = await replaceFileRows(client, {
      sourceFile: task.filePath,
      registryFileId: task.id,
      readyFile: output.readyFile,
      header: output.header,
      rows: bodyRows(output.readyFile, output.body),
      batchRows: config.loadBatchRows,
      followedBy: {
        name: 'task-end',
        sql: taskEndSql,
        values: (rows) =>
          taskEndValues(task.id, run.id, {
            ...record,
            rowsLoaded: rows,
            status: 'CREATED',
            durationMs: performance.now() - started,
          }),
      },
    });
    state.ended = true;
  } catch (error) {
    state.aborted = true;
    record.rowsLoaded = 0;
    return failed(REASONS.LOAD_FAILED, toError(error).message);
  }
  return created();
}
