import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statementEvent } from '../../test/factories.js';
import { openPharmacyDatabase, type PharmacyDatabase, readMetaNumber } from '../db/pharmacy-database.js';
import { storeStatement } from '../repositories/statements.repository.js';
import { decompressSnapshot, takeSnapshot } from './snapshot.js';

const PHARMACY = 'snap@example.ma';

describe('snapshot', () => {
  let dir: string;
  let pdb: PharmacyDatabase;
  let stored = 0;
  const store = () =>
    storeStatement(
      pdb.sqlite,
      statementEvent({ pharmacyId: PHARMACY, clientKey: String(++stored), count: 300, seed: stored }),
    );

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'storage-snapshot-'));
    pdb = openPharmacyDatabase(join(dir, 'pharmacie_snap_at_example_ma.db'), PHARMACY);
    stored = 0;
  });
  afterEach(() => {
    pdb.sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is a consistent copy while writes go on, and its checksums describe what it holds', async () => {
    for (let i = 0; i < 30; i++) store();
    let writing = true;
    const writer = (async () => {
      while (writing) {
        store();
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const snapshot = await takeSnapshot(pdb.sqlite, dir, 'snap', 1);
    writing = false;
    await writer;
    expect(stored).toBeGreaterThan(30); // writes really happened during the backup

    const copy = join(dir, 'restored.db');
    const unpacked = await decompressSnapshot(snapshot.file, copy);
    expect(unpacked).toEqual({ sha256: snapshot.dbSha256, size: snapshot.dbSize });
    const db = new Database(copy, { fileMustExist: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      // Every statement bumps the change counter once, in the same transaction as its rows.
      const statements = (db.prepare('SELECT COUNT(*) AS n FROM statements').get() as { n: number }).n;
      expect(readMetaNumber(db, 'change_seq')).toBe(statements);
      expect(snapshot.changeSeq).toBe(statements);
      const transactions = (db.prepare('SELECT COUNT(*) AS n FROM transactions').get() as { n: number }).n;
      expect(transactions).toBe(statements * 300);
    } finally {
      db.close();
    }
  });
});
