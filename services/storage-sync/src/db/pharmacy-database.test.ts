import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '@pharma/shared/db';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statementEvent } from '../../test/factories.js';
import { queueAlert } from '../alerts/alert-outbox.js';
import { MIGRATIONS_FOLDER, openPharmacyDatabase, SCHEMA_VERSION } from './pharmacy-database.js';

const PHARMACY = 'migrations@example.ma';

/** How the alerts code created its outbox before a migration did (files written by earlier versions have it). */
const OUTBOX_OF_EARLIER_VERSIONS = `
  CREATE TABLE IF NOT EXISTS alert_outbox (
    id INTEGER PRIMARY KEY,
    client_key TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,
    verdict TEXT NOT NULL,
    content TEXT NOT NULL,
    queued_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    sent_at TEXT,
    failed_at TEXT,
    message_id TEXT,
    UNIQUE (client_key, period_from, period_to, source_sha256)
  );
  CREATE INDEX IF NOT EXISTS alert_outbox_pending ON alert_outbox (id) WHERE sent_at IS NULL AND failed_at IS NULL;
`;

/** The outbox, its index of pending rows and the index of its unique statement version, in every file. */
const OUTBOX = [
  { type: 'table', name: 'alert_outbox' },
  { type: 'index', name: 'alert_outbox_pending' },
  { type: 'index', name: 'sqlite_autoindex_alert_outbox_1' },
];

describe('pharmacy database migrations', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'storage-migrations-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const tables = (file: string) => {
    const pdb = openPharmacyDatabase(file, PHARMACY);
    try {
      return pdb.sqlite
        .prepare("SELECT type, name FROM sqlite_master WHERE tbl_name = 'alert_outbox' ORDER BY name")
        .all();
    } finally {
      pdb.sqlite.close();
    }
  };

  it('creates every table, the alert outbox included, in a new file', () => {
    const file = join(dir, 'new.db');
    expect(tables(file)).toEqual(OUTBOX);
    const pdb = openPharmacyDatabase(file, PHARMACY);
    try {
      const event = { ...statementEvent({ pharmacyId: PHARMACY, clientKey: '1' }), jobId: 'j' };
      const mismatch = { ...event, statement: { ...event.statement, verdict: 'mismatch' as const } };
      expect(queueAlert(pdb.sqlite, mismatch)).toBe(true);
      expect(queueAlert(pdb.sqlite, mismatch)).toBe(false);
    } finally {
      pdb.sqlite.close();
    }
    expect(SCHEMA_VERSION).toBe(2);
  });

  it('keeps the outbox of a file whose alerts code created it, rows included', () => {
    // A file as the first migration alone left it, then given its outbox by the alerts code.
    const first = join(dir, 'first-migration');
    cpSync(MIGRATIONS_FOLDER, first, { recursive: true });
    const journalFile = join(first, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: unknown[] };
    writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, 1) }));
    const file = join(dir, 'earlier.db');
    const sqlite = openSqlite(file);
    migrate(drizzle(sqlite), { migrationsFolder: first });
    sqlite.exec(OUTBOX_OF_EARLIER_VERSIONS);
    sqlite
      .prepare(
        `INSERT INTO alert_outbox (client_key, period_from, period_to, source_sha256, verdict, content, queued_at)
         VALUES ('1', '2017-01-01', '2025-01-09', 'abc', 'mismatch', '{}', '2025-01-10T00:00:00.000Z')`,
      )
      .run();
    sqlite.close();

    expect(tables(file)).toEqual(OUTBOX);
    const pdb = openPharmacyDatabase(file, PHARMACY);
    try {
      expect(pdb.sqlite.prepare('SELECT client_key AS clientKey FROM alert_outbox').all()).toEqual([
        { clientKey: '1' },
      ]);
    } finally {
      pdb.sqlite.close();
    }
  });
});
