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
  id: number;
  filePath: string;
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
 * Registers files in one statement: COPY into a temporary table, then INSERT … SELECT … ON CONFLICT (file_path)
 * DO NOTHING, so a path registered meanwhile by anyone is skipped. Must run inside the caller's transaction.
 * Returns only the rows actually inserted.
 */
export async function insertNewFiles(client: pg.PoolClient, rows: readonly NewFileRow[]): Promise<RegisteredRow[]> {
  if (rows.length === 0) return [];
  await client.query(`CREATE TEMP TABLE registry_scan_batch (
      path text, mtime_ms float8, provider text, year int, month int, client text, report_type text
    ) ON COMMIT DROP`);
  await pipeline(copyLines(rows), client.query(copyFrom('COPY registry_scan_batch FROM STDIN')));
  const { rows: inserted } = await client.query<{ id: number; file_path: string; created_at: Date }>(
    `INSERT INTO ops.file_registry
       (file_path, uploaded_at, status, data_provider, report_year, report_month, client_name, report_type)
     SELECT path, to_timestamp(mtime_ms / 1000.0), 'NEW', provider, year, month, client, report_type
     FROM registry_scan_batch
     ON CONFLICT (file_path) DO NOTHING
     RETURNING id, file_path, created_at`,
  );
  return inserted.map((row) => ({ id: row.id, filePath: row.file_path, createdAt: row.created_at }));
}

const LINES_PER_CHUNK = 2_000;

function* copyLines(rows: readonly NewFileRow[]): Generator<string> {
  for (let start = 0; start < rows.length; start += LINES_PER_CHUNK) {
    let chunk = '';
    for (const row of rows.slice(start, start + LINES_PER_CHUNK)) {
      chunk += `${copyText(row.filePath)}\t${row.mtimeMs}\t${copyText(row.dataProvider)}\t${row.reportYear}\t${row.reportMonth}\t${copyText(row.clientName)}\t${copyText(row.reportType)}\n`;
    }
    yield chunk;
  }
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** COPY text format: backslash, tab, newline and carriage return are escaped. */
function copyText(value: string): string {
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : value;
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
