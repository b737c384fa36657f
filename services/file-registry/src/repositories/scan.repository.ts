import { pipeline } from 'node:stream/promises';
import type { pg } from '@pharma/shared/db';
import { from as copyFrom } from 'pg-copy-streams';
import type { FileStatus } from '../db/schema.js';
import type { ParsedFilePath } from '../domain/file-path.parser.js';

// The scan's statements use pg directly: COPY streaming and array parameters (one round trip for thousands of
// rows) are beyond the query builder, and this is the path that must handle 100 000 files in seconds.

type Queryable = pg.Pool | pg.PoolClient;

export interface NewFileRow extends ParsedFilePath {
  filePath: string;
  mtimeMs: number;
}

export interface RegisteredRow {
  /** Position of the row in the list given to insertNewFiles. */
  index: number;
  id: number;
  createdAt: Date;
}

/** Session-level lock per root: a second scan of the same root gets `false` at once instead of waiting. */
export async function tryLockRoot(client: pg.PoolClient, root: string): Promise<boolean> {
  const { rows } = await client.query<{ locked: boolean }>(
    "SELECT pg_try_advisory_lock(hashtext('file-registry:scan'), hashtext($1)) AS locked",
    [root],
  );
  return rows[0]?.locked === true;
}

export async function unlockRoot(client: pg.PoolClient, root: string): Promise<void> {
  await client.query("SELECT pg_advisory_unlock(hashtext('file-registry:scan'), hashtext($1))", [root]);
}

/** Every registered path with its status, in one query: the scan compares the disk against it in memory. */
export async function loadKnownFiles(db: Queryable): Promise<Map<string, FileStatus>> {
  const { rows } = await db.query<[string, FileStatus]>({
    text: 'SELECT file_path, status FROM ops.file_registry',
    rowMode: 'array',
  });
  return new Map(rows);
}

/**
 * Registers files inside the caller's transaction and returns the rows actually inserted. The fast path reserves
 * ids from the table's sequence and COPYs the rows straight into the table. If any path was registered meanwhile
 * by someone else (unique violation), it falls back to COPY into a staging table and
 * INSERT … SELECT … ON CONFLICT (file_path) DO NOTHING, which skips exactly those paths.
 */
export async function insertNewFiles(client: pg.PoolClient, rows: readonly NewFileRow[]): Promise<RegisteredRow[]> {
  if (rows.length === 0) return [];
  const { rows: clock } = await client.query<{ now: Date }>('SELECT now() AS now');
  const { rows: reserved } = await client.query<[string]>({
    text: "SELECT nextval(pg_get_serial_sequence('ops.file_registry', 'id')) FROM generate_series(1, $1::int)",
    values: [rows.length],
    rowMode: 'array',
  });
  const ids = reserved.map(([id]) => Number(id));
  await client.query('SAVEPOINT registry_copy');
  try {
    await pipeline(copyLines(rows, ids), client.query(copyFrom(`COPY ops.file_registry (${COLUMNS}) FROM STDIN`)));
    await client.query('RELEASE SAVEPOINT registry_copy');
    const createdAt = clock[0]!.now;
    return ids.map((id, index) => ({ index, id, createdAt }));
  } catch (error) {
    if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
    await client.query('ROLLBACK TO SAVEPOINT registry_copy');
    return insertSkippingConflicts(client, rows, ids);
  }
}

const UNIQUE_VIOLATION = '23505';
const COLUMNS =
  'id, file_path, uploaded_at, status, data_provider, report_year, report_month, client_name, report_type';

async function insertSkippingConflicts(client: pg.PoolClient, rows: readonly NewFileRow[], ids: number[]) {
  await client.query(
    `CREATE TEMP TABLE registry_scan_batch (LIKE ops.file_registry INCLUDING DEFAULTS) ON COMMIT DROP`,
  );
  await pipeline(copyLines(rows, ids), client.query(copyFrom(`COPY registry_scan_batch (${COLUMNS}) FROM STDIN`)));
  const { rows: inserted } = await client.query<{ id: number; created_at: Date }>(
    `INSERT INTO ops.file_registry (${COLUMNS})
     SELECT ${COLUMNS} FROM registry_scan_batch
     ON CONFLICT (file_path) DO NOTHING
     RETURNING id, created_at`,
  );
  const indexById = new Map(ids.map((id, index) => [id, index]));
  return inserted.map((row) => ({ index: indexById.get(row.id)!, id: row.id, createdAt: row.created_at }));
}

const LINES_PER_CHUNK = 2_000;

function* copyLines(rows: readonly NewFileRow[], ids: readonly number[]): Generator<string> {
  for (let start = 0; start < rows.length; start += LINES_PER_CHUNK) {
    let chunk = '';
    const end = Math.min(rows.length, start + LINES_PER_CHUNK);
    for (let index = start; index < end; index++) {
      const row = rows[index]!;
      chunk += `${ids[index]}\t${copyText(row.filePath)}\t${new Date(row.mtimeMs).toISOString()}\tNEW\t${copyText(row.dataProvider)}\t${row.reportYear}\t${row.reportMonth}\t${copyText(row.clientName)}\t${copyText(row.reportType)}\n`;
    }
    yield chunk;
  }
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** COPY text format: backslash, tab, newline and carriage return are escaped. */
function copyText(value: string): string {
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : value;
}

/** Files that were marked DELETE and are back on disk become NEW again (same id), with their new mtime. */
export async function reviveFiles(client: pg.PoolClient, rows: readonly NewFileRow[]): Promise<RegisteredRow[]> {
  if (rows.length === 0) return [];
  const { rows: revived } = await client.query<{ id: number; file_path: string; now: Date }>(
    `UPDATE ops.file_registry AS f
     SET status = 'NEW', error_reason = NULL, uploaded_at = to_timestamp(u.mtime_ms / 1000.0),
         data_provider = u.provider, report_year = u.year, report_month = u.month,
         client_name = u.client, report_type = u.report_type
     FROM unnest($1::text[], $2::float8[], $3::text[], $4::int[], $5::int[], $6::text[], $7::text[])
       AS u(path, mtime_ms, provider, year, month, client, report_type)
     WHERE f.file_path = u.path AND f.status = 'DELETE'
     RETURNING f.id, f.file_path, now() AS now`,
    [
      rows.map((r) => r.filePath),
      rows.map((r) => r.mtimeMs),
      rows.map((r) => r.dataProvider),
      rows.map((r) => r.reportYear),
      rows.map((r) => r.reportMonth),
      rows.map((r) => r.clientName),
      rows.map((r) => r.reportType),
    ],
  );
  const indexByPath = new Map(rows.map((row, index) => [row.filePath, index]));
  return revived.map((row) => ({ index: indexByPath.get(row.file_path)!, id: row.id, createdAt: row.now }));
}

/** Marks files gone from disk; files already DELETE are left alone. Returns how many changed. */
export async function markDeleted(db: Queryable, paths: readonly string[]): Promise<number> {
  if (paths.length === 0) return 0;
  const result = await db.query(
    "UPDATE ops.file_registry SET status = 'DELETE' WHERE file_path = ANY($1::text[]) AND status <> 'DELETE'",
    [paths],
  );
  return result.rowCount ?? 0;
}
