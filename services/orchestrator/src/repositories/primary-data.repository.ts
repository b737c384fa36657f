import type { pg } from '@pharma/shared/db';
import { columnType, TARGET_COLUMNS } from '../domain/target-columns.js';

export interface LoadInput {
  sourceFile: string;
  registryFileId: number;
  readyFile: string;
  header: readonly string[];
  rows: AsyncIterable<string[]>;
  batchRows: number;
  /**
   * Ends the last statement of the load (the tail of its `WITH`, parameters from `$first`), given the rows loaded:
   * the task's end written in the same round trip.
   */
  followedBy?: { name: string; sql: (first: number) => string; values: (rows: number) => unknown[] };
}

const COLUMN_LIST = TARGET_COLUMNS.map((column) => `"${column}"`).join(', ');
const UNNEST = TARGET_COLUMNS.map((column, index) => `$${index + 2}::${columnType(column)}[]`).join(', ');
const INSERT = `INSERT INTO raw.primary_data (source_file, ${COLUMN_LIST}) SELECT $1, * FROM unnest(${UNNEST})`;
// The first batch also removes the file's earlier rows (a CTE sees the table as it was before the statement).
const REPLACE = `WITH earlier AS (DELETE FROM raw.primary_data WHERE source_file = $1) ${INSERT}`;
const LOAD_PARAM = TARGET_COLUMNS.length + 2;
const RECORD_LOAD = `INSERT INTO raw.primary_data_loads (source_file, registry_file_id, ready_file, rows)
  VALUES ($1, $${LOAD_PARAM}, $${LOAD_PARAM + 1}, $${LOAD_PARAM + 2})
  ON CONFLICT (source_file) DO UPDATE
    SET registry_file_id = excluded.registry_file_id, ready_file = excluded.ready_file, rows = excluded.rows,
        loaded_at = now()`;
// The last batch also records the load: one round trip for a file of one batch.
const REPLACE_AND_RECORD = `WITH earlier AS (DELETE FROM raw.primary_data WHERE source_file = $1), batch AS (${INSERT}) ${RECORD_LOAD}`;
const INSERT_AND_RECORD = `WITH batch AS (${INSERT}) ${RECORD_LOAD}`;
// ...and, given `followedBy`, whatever follows (the task's end): the load record becomes a CTE of that statement.
const followedBySql = (first: boolean, tail: (first: number) => string) =>
  `WITH ${first ? 'earlier AS (DELETE FROM raw.primary_data WHERE source_file = $1), ' : ''}batch AS (${INSERT}),
        loaded AS (${RECORD_LOAD}), ${tail(LOAD_PARAM + 3)}`;

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
  let sent = false;
  const flush = async (last: boolean) => {
    const first = !sent;
    const values: unknown[] = [input.sourceFile, ...batch];
    if (last) values.push(input.registryFileId, input.readyFile, total + inBatch);
    if (last && input.followedBy) {
      values.push(...input.followedBy.values(total + inBatch));
      await client.query({
        name: `orchestrator-${first ? 'replace' : 'insert'}-rows-and-${input.followedBy.name}`,
        text: followedBySql(first, input.followedBy.sql),
        values,
      });
    } else {
      await client.query({
        name: last
          ? first
            ? 'orchestrator-replace-rows-and-record'
            : 'orchestrator-insert-rows-and-record'
          : first
            ? 'orchestrator-replace-rows'
            : 'orchestrator-insert-rows',
        text: last ? (first ? REPLACE_AND_RECORD : INSERT_AND_RECORD) : first ? REPLACE : INSERT,
        values,
      });
    }
    sent = true;
    total += inBatch;
    batch = TARGET_COLUMNS.map(() => []);
    inBatch = 0;
  };
  for await (const row of input.rows) {
    if (row.every((cell) => cell.trim() === '')) continue;
    // A full batch goes only once another row follows, so the last statement always carries rows or is the only one.
    if (inBatch >= input.batchRows) await flush(false);
    for (let column = 0; column < positions.length; column++) {
      const position = positions[column] as number;
      const value = position >= 0 ? (row[position] ?? '').trim() : '';
      (batch[column] as (string | null)[]).push(value === '' ? null : value);
    }
    inBatch++;
  }
  await flush(true);
  return total;
}
