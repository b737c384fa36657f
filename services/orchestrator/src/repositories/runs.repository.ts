import type { pg } from '@pharma/shared/db';

export interface RunRecord {
  id: string;
  trigger: string;
  lockScope: string;
  status: string;
  startedAt: string;
  completedAt: string | null;
  counts: Record<string, number>;
  error: string | null;
}

export const ABANDONED_RUN_ERROR = 'ABANDONED: the run stopped before recording its end (crash or database outage)';

/**
 * Records a run. A `running` run is recorded only by the holder of its scope's lock, so any other run of that
 * scope still marked `running` lost its runner (killed, or the database went away before its end was written):
 * it is closed as `failed` here, so no run shows `running` forever.
 */
export async function insertRun(
  pool: pg.Pool,
  run: { id: string; trigger: string; lockScope: string; status: string },
): Promise<void> {
  await pool.query(
    `WITH abandoned AS (
       UPDATE ops.orchestrator_runs SET status = 'failed', error = $5, completed_at = now()
        WHERE $4 = 'running' AND lock_scope = $3 AND status = 'running' AND id <> $1
     )
     INSERT INTO ops.orchestrator_runs (id, trigger, lock_scope, status) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE SET status = excluded.status, started_at = now(), completed_at = NULL`,
    [run.id, run.trigger, run.lockScope, run.status, ABANDONED_RUN_ERROR],
  );
}

export async function finishRun(
  pool: pg.Pool,
  id: string,
  end: { status: string; counts: Record<string, number>; error?: string },
): Promise<void> {
  await pool.query(
    'UPDATE ops.orchestrator_runs SET status = $2, counts = $3, error = $4, completed_at = now() WHERE id = $1',
    [id, end.status, JSON.stringify(end.counts), end.error ?? null],
  );
}

const RUN_COLUMNS = `id, trigger, lock_scope, status, started_at, completed_at, counts, error`;

function toRun(row: Record<string, unknown>): RunRecord {
  return {
    id: row.id as string,
    trigger: row.trigger as string,
    lockScope: row.lock_scope as string,
    status: row.status as string,
    startedAt: (row.started_at as Date).toISOString(),
    completedAt: row.completed_at ? (row.completed_at as Date).toISOString() : null,
    counts: row.counts as Record<string, number>,
    error: (row.error as string | null) ?? null,
  };
}

export async function findRun(pool: pg.Pool, id: string): Promise<RunRecord | undefined> {
  const result = await pool.query(`SELECT ${RUN_COLUMNS} FROM ops.orchestrator_runs WHERE id = $1`, [id]);
  return result.rows[0] ? toRun(result.rows[0]) : undefined;
}

export async function listRuns(pool: pg.Pool, limit: number): Promise<RunRecord[]> {
  const result = await pool.query(
    `SELECT ${RUN_COLUMNS} FROM ops.orchestrator_runs ORDER BY started_at DESC LIMIT $1`,
    [limit],
  );
  return result.rows.map(toRun);
}

export interface TaskRunRecord {
  id: number;
  runId: string;
  fileId: number;
  filePath: string;
  attempt: number;
  status: string;
  reason: string | null;
  detail: string | null;
  script: string | null;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  scriptMs: number | null;
  exitCode: number | null;
  outputFile: string | null;
  readyFile: string | null;
  rowsLoaded: number | null;
  stdoutTail: string | null;
  stderrTail: string | null;
}

function toTaskRun(row: Record<string, unknown>): TaskRunRecord {
  return {
    id: Number(row.id),
    runId: row.run_id as string,
    fileId: row.file_id as number,
    filePath: row.file_path as string,
    attempt: row.attempt as number,
    status: row.status as string,
    reason: (row.reason as string | null) ?? null,
    detail: (row.detail as string | null) ?? null,
    script: (row.script as string | null) ?? null,
    startedAt: (row.started_at as Date).toISOString(),
    finishedAt: row.finished_at ? (row.finished_at as Date).toISOString() : null,
    durationMs: (row.duration_ms as number | null) ?? null,
    scriptMs: (row.script_ms as number | null) ?? null,
    exitCode: (row.exit_code as number | null) ?? null,
    outputFile: (row.output_file as string | null) ?? null,
    readyFile: (row.ready_file as string | null) ?? null,
    rowsLoaded: (row.rows_loaded as number | null) ?? null,
    stdoutTail: (row.stdout_tail as string | null) ?? null,
    stderrTail: (row.stderr_tail as string | null) ?? null,
  };
}

export async function taskRunsOfRun(pool: pg.Pool, runId: string, limit: number): Promise<TaskRunRecord[]> {
  const result = await pool.query('SELECT * FROM ops.task_runs WHERE run_id = $1 ORDER BY id LIMIT $2', [runId, limit]);
  return result.rows.map(toTaskRun);
}

export async function taskRunsOfFile(pool: pg.Pool, fileId: number): Promise<TaskRunRecord[]> {
  const result = await pool.query('SELECT * FROM ops.task_runs WHERE file_id = $1 ORDER BY attempt', [fileId]);
  return result.rows.map(toTaskRun);
}
