import Database from 'better-sqlite3';
import { drizzle as drizzlePg, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';

export type { NodePgDatabase };

export function createPgPool(url: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 5_000 });
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  // Nor may a checked-out one between two queries (a session holding an advisory lock while a scan or a run
  // works): the pool listens only to idle clients, and an 'error' event nobody listens to kills the process.
  // Its next query fails instead, and the pool discards it on release.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  return pool;
}

/**
 * Applies a service's committed drizzle-kit migrations. Each service keeps its own journal
 * (`drizzle.migrations_<service>`), so services sharing one database or schema never mix their histories.
 */
const MIGRATION_LOCK = 'migrate:platform';

export async function migratePostgres(pool: pg.Pool, migrationsFolder: string, service: string): Promise<void> {
  const journal = `migrations_${service.replaceAll('-', '_')}`;
  const client = await pool.connect();
  try {
    // One lock for every service: they share the `drizzle` schema, and concurrent CREATE SCHEMA IF NOT EXISTS
    // on a fresh database can fail with a unique violation (services start together).
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [MIGRATION_LOCK]);
    try {
      await migratePg(drizzlePg(client), { migrationsFolder, migrationsSchema: 'drizzle', migrationsTable: journal });
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}

export async function pingPostgres(pool: pg.Pool): Promise<void> {
  await pool.query('SELECT 1');
}

/** Runs the effect and records the message id in one transaction: a redelivered message has no second effect. */
export async function runOnce<T>(
  pool: pg.Pool,
  table: string,
  messageId: string,
  effect: (client: pg.PoolClient) => Promise<T>,
): Promise<{ duplicate: boolean; result?: T }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const inserted = await client.query(
      `INSERT INTO ${table} (message_id) VALUES ($1) ON CONFLICT (message_id) DO NOTHING`,
      [messageId],
    );
    if (inserted.rowCount === 0) {
      await client.query('ROLLBACK');
      return { duplicate: true };
    }
    const result = await effect(client);
    await client.query('COMMIT');
    return { duplicate: false, result };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

export interface OpenSqliteOptions {
  readonly?: boolean;
}

/** Opens a SQLite file in WAL mode with the settings every service uses. */
export function openSqlite(file: string, { readonly = false }: OpenSqliteOptions = {}): Database.Database {
  const db = new Database(file, { readonly, fileMustExist: readonly });
  if (!readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

export { pg };
