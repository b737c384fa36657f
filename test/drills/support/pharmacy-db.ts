import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/**
 * The logical content of a pharmacy database, table by table, for comparing two runs of the same job.
 *
 * Left out, because they legitimately differ between two correct runs:
 * - `customers.details_at`: the `extractedAt` time of the customer list that set the details;
 * - `statements.downloaded_at`, `statements.parsed_at`: when the PDF was fetched and parsed;
 * - `statements.job_id`: the job that stored it (each run is a new job);
 * - `statements.id`: a surrogate key given in arrival order, which concurrency makes vary. Rows that refer to
 *   it (`transactions`, `product_lines`, `anomalies`) are compared by the statement's natural key instead
 *   (client key + period);
 * - the table `sync_meta`: replication bookkeeping (change counter, generation in S3), not pharmacy data.
 * Every other table and column is compared, including tables this list does not know yet.
 */
export const IGNORED_COLUMNS: Record<string, string[]> = {
  customers: ['details_at'],
  statements: ['id', 'downloaded_at', 'parsed_at', 'job_id'],
};
const STATEMENT_CHILDREN = new Set(['transactions', 'product_lines', 'anomalies']);
const IGNORED_TABLES = new Set(['sync_meta']);

/** Rows of one table as sorted canonical JSON strings. */
export type DbDump = Record<string, string[]>;

export interface DumpOptions {
  /**
   * Every column of every table but `sync_meta`: for two copies of one database (the local file and its S3
   * replica, whose `sync_meta` is one generation behind by construction).
   */
  exact?: boolean;
}

export function dumpDatabase(bytes: Buffer, { exact = false }: DumpOptions = {}): DbDump {
  const folder = mkdtempSync(join(tmpdir(), 'drill-db-'));
  const file = join(folder, 'pharmacy.db');
  writeFileSync(file, bytes);
  const db = new Database(file, { readonly: true });
  try {
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_\\_%' ESCAPE '\\' ORDER BY name",
      )
      .pluck()
      .all() as string[];
    const dump: DbDump = {};
    for (const table of tables) {
      if (IGNORED_TABLES.has(table)) continue;
      const ignored = exact ? [] : (IGNORED_COLUMNS[table] ?? []);
      const columns = (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[])
        .map((column) => column.name)
        .filter((name) => !ignored.includes(name));
      const byStatement = !exact && STATEMENT_CHILDREN.has(table) && columns.includes('statement_id');
      const selected = columns.filter((name) => !(byStatement && name === 'statement_id')).map((name) => `t."${name}"`);
      const sql = byStatement
        ? `SELECT s.client_key || ' ' || s.period_from || '..' || s.period_to AS statement, ${selected.join(', ')}
           FROM "${table}" t LEFT JOIN statements s ON s.id = t.statement_id`
        : `SELECT ${selected.join(', ')} FROM "${table}" t`;
      dump[table] = (db.prepare(sql).all() as Record<string, unknown>[]).map((row) => JSON.stringify(row)).sort();
    }
    return dump;
  } finally {
    db.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

export interface TableDiff {
  table: string;
  expectedRows: number;
  actualRows: number;
  missing: string[];
  unexpected: string[];
}

/** Table by table: rows of `expected` absent from `actual` and the reverse (as multisets). */
export function diffDumps(expected: DbDump, actual: DbDump): TableDiff[] {
  const diffs: TableDiff[] = [];
  for (const table of [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort()) {
    const left = expected[table] ?? [];
    const right = actual[table] ?? [];
    const counts = new Map<string, number>();
    for (const row of right) counts.set(row, (counts.get(row) ?? 0) + 1);
    const missing: string[] = [];
    for (const row of left) {
      const count = counts.get(row) ?? 0;
      if (count > 0) counts.set(row, count - 1);
      else missing.push(row);
    }
    const unexpected = [...counts].flatMap(([row, count]) => Array<string>(count).fill(row));
    if (missing.length || unexpected.length || !(table in expected) || !(table in actual)) {
      diffs.push({ table, expectedRows: left.length, actualRows: right.length, missing, unexpected });
    }
  }
  return diffs;
}

/** A readable account of the differences (the first rows of each side per table); `none` when equal. */
export function describeDiff(diffs: TableDiff[], shown = 5): string {
  if (diffs.length === 0) return 'none';
  return diffs
    .map((diff) =>
      [
        `table ${diff.table}: ${diff.expectedRows} rows expected, ${diff.actualRows} found; ${diff.missing.length} missing, ${diff.unexpected.length} unexpected`,
        ...diff.missing.slice(0, shown).map((row) => `  - ${row}`),
        ...diff.unexpected.slice(0, shown).map((row) => `  + ${row}`),
      ].join('\n'),
    )
    .join('\n');
}

/** Rows per table, for the report. */
export const rowCounts = (dump: DbDump) =>
  Object.fromEntries(Object.entries(dump).map(([table, rows]) => [table, rows.length]));
