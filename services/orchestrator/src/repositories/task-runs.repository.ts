import type { pg } from '@pharma/shared/db';

export interface TaskRunStart {
  id: number;
  attempt: number;
}

/**
 * Records the start of an attempt (committed at once, so it survives a crash). An earlier attempt still open is
 * marked ABANDONED: its runner died, since the caller now holds the file's row lock.
 */
export async function startTaskRun(
  pool: pg.Pool,
  input: { runId: string; fileId: number; filePath: string },
): Promise<TaskRunStart> {
  // Named statements are parsed and planned once per connection: this runs for every task.
  const result = await pool.query({
    name: 'orchestrator-start-task-run',
    text: `WITH abandoned AS (
       UPDATE ops.task_runs SET status = 'ABANDONED', finished_at = now()
        WHERE file_id = $2 AND finished_at IS NULL RETURNING id)
     INSERT INTO ops.task_runs (run_id, file_id, file_path, attempt, status)
     VALUES ($1, $2, $3, (SELECT coalesce(max(attempt), 0) + 1 FROM ops.task_runs WHERE file_id = $2), 'running')
     RETURNING id, attempt`,
    values: [input.runId, input.fileId, input.filePath],
  });
  return { id: Number(result.rows[0].id), attempt: result.rows[0].attempt };
}

/** Removes the record of an attempt that never began (its task was given up before its script started). */
export async function forgetTaskRun(db: pg.Pool | pg.PoolClient, id: number): Promise<void> {
  await db.query('DELETE FROM ops.task_runs WHERE id = $1', [id]);
}

export interface TaskRunEnd {
  status: string;
  reason?: string;
  detail?: string;
  script?: string;
  durationMs: number;
  scriptMs?: number;
  exitCode?: number;
  outputFile?: string;
  readyFile?: string;
  rowsLoaded?: number;
  stdoutTail?: string;
  stderrTail?: string;
}

/**
 * The end of a task as the tail of a `WITH` statement (parameters from `$first`, values from `taskEndValues`): the
 * file's registry status and its task run closed. Ends the last statement of a load, or stands alone.
 */
export function taskEndSql(first: number): string {
  const $ = (n: number) => `$${first + n - 1}`;
  return `registry AS (UPDATE ops.file_registry SET status = ${$(2)}, error_reason = ${$(3)} WHERE id = ${$(14)} RETURNING id)
     UPDATE ops.task_runs SET status = ${$(2)}, reason = ${$(3)}, detail = ${$(4)}, script = ${$(5)}, finished_at = now(),
            duration_ms = ${$(6)}, script_ms = ${$(7)}, exit_code = ${$(8)}, output_file = ${$(9)}, ready_file = ${$(10)},
            rows_loaded = ${$(11)}, stdout_tail = ${$(12)}, stderr_tail = ${$(13)}
      WHERE id = ${$(1)}`;
}

/** `fileId` null: the task run only (the registry row is no longer this task's to write). */
export function taskEndValues(fileId: number | null, id: number, end: TaskRunEnd): unknown[] {
  return [
    id,
    end.status,
    end.reason ?? null,
    end.detail ?? null,
    end.script ?? null,
    Math.round(end.durationMs),
    end.scriptMs === undefined ? null : Math.round(end.scriptMs),
    end.exitCode ?? null,
    end.outputFile ?? null,
    end.readyFile ?? null,
    end.rowsLoaded ?? null,
    end.stdoutTail || null,
    end.stderrTail || null,
    fileId,
  ];
}

const RECORD_TASK_END = `WITH ${taskEndSql(1)}`;

/** Writes the file's registry status and closes its task run, in one statement of the task's transaction. */
export async function recordTaskEnd(
  client: pg.PoolClient,
  fileId: number | null,
  id: number,
  end: TaskRunEnd,
): Promise<void> {
  await client.query({
    name: 'orchestrator-record-task-end',
    text: RECORD_TASK_END,
    values: taskEndValues(fileId, id, end),
  });
}
