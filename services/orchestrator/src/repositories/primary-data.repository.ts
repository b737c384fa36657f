import type { pg } from '@pharma/shared/db';
import { columnType, TARGET_COLUMNS } from '../domain/target-columns.js';

export interface LoadInput {
  sourceFile: string;
  registryFileId: number;
  readyFile: string;
  header: readonly string[];
  rows: AsyncIterable<string[]>;
  batchRows: number;
}

const COLUMN_LIST = TARGET_COLUMNS.map((column) => `"${column}"`).join(', ');
const UNNEST = TARGET_COLUMNS.map((column, index) => `$${index + 2}::${columnType(column)}[]`).join(', ');
const INSERT = `INSERT INTO raw.primary_data (source_file, ${COLUMN_LIST}) SELECT $1, * FROM unnest(${UNNEST})`;
// The first batch also removes the file's earlier rows (a CTE sees the table as it was before the statement).
const REPLACE = `WITH earlier AS (DELETE FROM raw.primary_data WHERE source_file = $1) ${INSERT}`;

/**
 * Replaces the rows of one source file with the rows of its output, inside the caller's transaction (the caller
 * commits or rolls back, so a failed load leaves nothing). Rows go in batches of column arrays through unnest:
 * one round trip per batch, typed by the target columns.
 */
export async function replaceFileRows(client: pg.PoolClient, input: LoadInput): Promise<number> {
  const positions = TARGET_COLUMNS.map((column) => input.header.indexOf(column));
  let batch: (string | null)[][] = TARGET_COLUMNS.map(() => []);
  let inBatch = 0;
  let total = 0;
  const flush = async () => {
    if (inBatch === 0 && total > 0) return;
    await client.query({
      name: total === 0 ? 'orchestrator-replace-rows' : 'orchestrator-insert-rows',
      text: total === 0 ? REPLACE : INSERT,
      values: [input.sourceFile, ...batch],
    });
    total += inBatch;
    batch = TARGET_COLUMNS.map(() => []);
    inBatch = 0;
  };
  for await (const row of input.rows) {
    if (row.every((cell) => cell.trim() === '')) continue;
    for (let column = 0; column < positions.length; column++) {
      const position = positions[column] as number;
      const value = position >= 0 ? (row[position] ?? '').trim() : '';
      (batch[column] as (string | null)[]).push(value === '' ? null : value);
    }
    inBatch++;
    if (inBatch >= input.batchRows) await flush();
  }
  await flush();
  await client.query({
    name: 'orchestrator-record-load',
    text: `INSERT INTO raw.primary_data_loads (source_file, registry_file_id, ready_file, rows) VALUES ($1, $2, $3, $4)
     ON CONFLICT (source_file) DO UPDATE
       SET registry_file_id = excluded.registry_file_id, ready_file = excluded.ready_file, rows = excluded.rows,
           loaded_at = now()`,
    values: [input.sourceFile, input.registryFileId, input.readyFile, total],
  });
  return total;
}
