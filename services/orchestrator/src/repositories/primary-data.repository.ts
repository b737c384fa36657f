import type { pg } from '@pharma/shared/db';
import { columnType, TARGET_COLUMNS } from '../domain/target-columns.js';
import type { TaskRunEnd } from '../domain/task-attempt.js';
import { taskRunEndValues } from './task-runs.repository.js';

/** Rows of one source file going into `raw.primary_data`: one typed array per target column. */
export interface RowBatch {
  sourceFile: string;
  /** The file's first batch: the rows of its earlier load are removed by the same statement. */
  replace: boolean;
  columns: (string | null)[][];
}

/** The load of a source file, recorded in `raw.primary_data_loads` (one row per source file). */
export interface LoadRecord {
  registryFileId: number;
  readyFile: string;
  rows: number;
}

const COLUMN_LIST = TARGET_COLUMNS.map((column) => `"${column}"`).join(', ');
/** The batch's column arrays as parameters `$first`, `$first + 1`, …, typed by the target columns. */
const columnArrays = (first: number) =>
  TARGET_COLUMNS.map((column, index) => `$${first + index}::${columnType(column)}[]`).join(', ');

// A CTE sees the table as it was before the statement: the earlier rows go, the batch's rows stay.
const INSERT_ROWS = `WITH earlier AS (DELETE FROM raw.primary_data WHERE $2::boolean AND source_file = $1)
  INSERT INTO raw.primary_data (source_file, ${COLUMN_LIST}) SELECT $1, * FROM unnest(${columnArrays(3)})`;

/**
 * Inserts a batch of rows (through unnest: one round trip, typed by the target columns), in the caller's
 * transaction; the first batch of a file also removes the file's earlier rows.
 */
export async function insertRows(client: pg.PoolClient, batch: RowBatch): Promise<void> {
  await client.query({
    name: 'orchestrator-insert-rows',
    text: INSERT_ROWS,
    values: [batch.sourceFile, batch.replace, ...batch.columns],
  });
}

const INSERT_LAST_ROWS_AND_END_TASK = `WITH
  earlier AS (DELETE FROM raw.primary_data WHERE $2::boolean AND source_file = $1),
  batch AS (INSERT INTO raw.primary_data (source_file, ${COLUMN_LIST}) SELECT $1, * FROM unnest(${columnArrays(20)})),
  loaded AS (
    INSERT INTO raw.primary_data_loads (source_file, registry_file_id, ready_file, rows) VALUES ($1, $3, $4, $5)
    ON CONFLICT (source_file) DO UPDATE
      SET registry_file_id = excluded.registry_file_id, ready_file = excluded.ready_file, rows = excluded.rows,
          loaded_at = now())
  SELECT ops.end_task_run($6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`;

/**
 * A file's last batch of rows, the record of its load and the end of its task (`ops.end_task_run`: the task run
 * closed, the registry status written) in one statement: a file of one batch costs one round trip.
 */
export async function insertLastRowsAndEndTask(
  client: pg.PoolClient,
  batch: RowBatch,
  load: LoadRecord,
  task: { taskRunId: number; end: TaskRunEnd },
): Promise<void> {
  await client.query({
    name: 'orchestrator-insert-last-rows-and-end-task',
    text: INSERT_LAST_ROWS_AND_END_TASK,
    values: [
      batch.sourceFile,
      batch.replace,
      load.registryFileId,
      load.readyFile,
      load.rows,
      task.taskRunId,
      ...taskRunEndValues(load.registryFileId, task.end),
      ...batch.columns,
    ],
  });
}
