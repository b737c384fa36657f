import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openSqlite } from '@pharma/shared/db';
import { ConflictError } from '@pharma/shared/errors';
import type Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { SyncMetaRow } from './schema.js';
import * as schema from './schema.js';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Number of migrations this code knows: the schema version written into manifests. */
export const SCHEMA_VERSION: number = (
  JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8')) as { entries: unknown[] }
).entries.length;

export type PharmacyDb = BetterSQLite3Database<typeof schema>;

export interface PharmacyDatabase {
  pharmacyId: string;
  file: string;
  sqlite: Database.Database;
  db: PharmacyDb;
}

export type MetaKey = 'pharmacy_id' | 'schema_version' | 'change_seq' | 'uploaded_change_seq' | 'synced_generation';

export function readMeta(sqlite: Database.Database, key: MetaKey): string | undefined {
  const row = sqlite.prepare('SELECT value FROM sync_meta WHERE key = ?').get(key) as
    | Pick<SyncMetaRow, 'value'>
    | undefined;
  return row?.value;
}

export function readMetaNumber(sqlite: Database.Database, key: MetaKey): number {
  return Number(readMeta(sqlite, key) ?? 0);
}

export function writeMeta(sqlite: Database.Database, key: MetaKey, value: string | number): void {
  sqlite
    .prepare('INSERT INTO sync_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
    .run(key, String(value));
}

/** Counts data changes; replication compares it with the counter of the last uploaded snapshot. */
export function bumpChangeSeq(sqlite: Database.Database): number {
  const next = readMetaNumber(sqlite, 'change_seq') + 1;
  writeMeta(sqlite, 'change_seq', next);
  return next;
}

/**
 * Opens (creating if needed) a pharmacy's database, applies migrations and checks the file belongs to that
 * pharmacy: two e-mails can map to one file name, and a pharmacy must only ever touch its own data.
 */
export function openPharmacyDatabase(file: string, pharmacyId: string): PharmacyDatabase {
  const sqlite = openSqlite(file);
  try {
    const db = drizzle(sqlite, { schema });
    migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    const owner = readMeta(sqlite, 'pharmacy_id');
    if (owner === undefined) writeMeta(sqlite, 'pharmacy_id', pharmacyId);
    else if (owner !== pharmacyId) {
      throw new ConflictError(`Database file ${file} belongs to another pharmacy`, 'PHARMACY_FILE_TAKEN');
    }
    writeMeta(sqlite, 'schema_version', SCHEMA_VERSION);
    return { pharmacyId, file, sqlite, db };
  } catch (error) {
    sqlite.close();
    throw error;
  }
}
