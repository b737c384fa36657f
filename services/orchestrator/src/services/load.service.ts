import type { pg } from '@pharma/shared/db';
import { TARGET_COLUMNS } from '../domain/target-columns.js';
import type { TaskRunEnd } from '../domain/task-attempt.js';
import { insertLastRowsAndEndTask, insertRows } from '../repositories/primary-data.repository.js';

export interface LoadRequest {
  /** The registry's `file_path`: the rows' `source_file`. */
  sourceFile: string;
  registryFileId: number;
  readyFile: string;
  /** The output's header: where each target column is in a row. */
  header: readonly string[];
  rows: AsyncIterable<string[]>;
  batchRows: number;
  /** The task run to end with the last batch, and its end given the rows loaded. */
  taskRunId: number;
  end: (rowsLoaded: number) => TaskRunEnd;
}

/**
 * Replaces the rows of one source file with the rows of its output, inside the caller's transaction (the caller
 * commits or rolls back, so a failed load leaves nothing), and ends the task with the last batch. Empty rows are
 * skipped, empty cells are NULL. Returns the rows loaded.
 */
export async function loadOutput(client: pg.PoolClient, request: LoadRequest): Promise<number> {
  const positions = TARGET_COLUMNS.map((column) => request.header.indexOf(column));
  let columns: (string | null)[][] = TARGET_COLUMNS.map(() => []);
  let inBatch = 0;
  let total = 0;
  let replace = true;
  for await (const row of request.rows) {
    if (row.every((cell) => cell.trim() === '')) continue;
    // A full batch goes only once another row follows, so the last statement always carries rows or is the only one.
    if (inBatch >= request.batchRows) {
      await insertRows(client, { sourceFile: request.sourceFile, replace, columns });
      replace = false;
      total += inBatch;
      columns = TARGET_COLUMNS.map(() => []);
      inBatch = 0;
    }
    for (let column = 0; column < positions.length; column++) {
      const position = positions[column] as number;
      const value = position >= 0 ? (row[position] ?? '').trim() : '';
      (columns[column] as (string | null)[]).push(value === '' ? null : value);
    }
    inBatch++;
  }
  total += inBatch;
  await insertLastRowsAndEndTask(
    client,
    { sourceFile: request.sourceFile, replace, columns },
    { registryFileId: request.registryFileId, readyFile: request.readyFile, rows: total },
    { taskRunId: request.taskRunId, end: request.end(total) },
  );
  return total;
}
