import type { pg } from '@pharma/shared/db';
import type { TaskRunEnd } from '../domain/task-attempt.js';

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

/** The values of `ops.end_task_run` (drizzle/0001) after the task run's id, in its order. */
export function taskRunEndValues(fileId: number | null, end: TaskRunEnd): unknown[] {
  return [
    fileId,
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
  ];
}

/**
 * Closes the task run and, given the file's id, writes the file's registry status (null: the task run only), in
 * the caller's transaction. The same function ends a loaded file, in the load's last statement.
 */
export async function endTaskRun(
  client: pg.PoolClient,
  id: number,
  fileId: number | null,
  end: TaskRunEnd,
): Promise<void> {
  await client.query({
    name: 'orchestrator-end-task-run',
    text: 'SELECT ops.end_task_run($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)',
    values: [id, ...taskRunEndValues(fileId, end)],
  });
}
