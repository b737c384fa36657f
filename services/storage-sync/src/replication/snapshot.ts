import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import Database from 'better-sqlite3';
import { readMetaNumber } from '../db/pharmacy-database.js';
import { HashingStream } from './hashing.js';

export interface Snapshot {
  /** Compressed file ready to upload. */
  file: string;
  size: number;
  sha256: string;
  md5: string;
  dbSize: number;
  dbSha256: string;
  /** Change counter captured by the snapshot (writes made while it ran are in the next one). */
  changeSeq: number;
}

let counter = 0;
export const tempName = (dir: string, stem: string) => join(dir, `${stem}.${process.pid}.${Date.now()}.${++counter}`);

/**
 * Takes a consistent copy with SQLite's online backup API (writes go on meanwhile), then compresses it
 * while hashing both the database and the compressed bytes.
 */
export async function takeSnapshot(
  sqlite: Database.Database,
  tmpDir: string,
  stem: string,
  gzipLevel: number,
): Promise<Snapshot> {
  const copy = tempName(tmpDir, `${stem}.snapshot.db`);
  const file = `${copy}.gz`;
  try {
    await sqlite.backup(copy);
    const snapshotDb = new Database(copy, { fileMustExist: true });
    let changeSeq: number;
    try {
      changeSeq = readMetaNumber(snapshotDb, 'change_seq');
    } finally {
      snapshotDb.close();
    }
    const dbHash = new HashingStream();
    const gzHash = new HashingStream();
    await pipeline(createReadStream(copy), dbHash, createGzip({ level: gzipLevel }), gzHash, createWriteStream(file));
    return {
      file,
      size: gzHash.size,
      sha256: gzHash.sha256(),
      md5: gzHash.md5(),
      dbSize: dbHash.size,
      dbSha256: dbHash.sha256(),
      changeSeq,
    };
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  } finally {
    await rm(copy, { force: true });
  }
}

/** Decompresses a downloaded snapshot, returning the SHA-256 and size of the database file written. */
export async function decompressSnapshot(gzFile: string, dbFile: string): Promise<{ sha256: string; size: number }> {
  const hashing = new HashingStream();
  await pipeline(createReadStream(gzFile), createGunzip(), hashing, createWriteStream(dbFile));
  return { sha256: hashing.sha256(), size: hashing.size };
}
