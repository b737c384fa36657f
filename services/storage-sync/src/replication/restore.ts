import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { UnavailableError } from '@pharma/shared/errors';
import type { Log } from '@pharma/shared/logger';
import Database from 'better-sqlite3';
import { readMeta, readMetaNumber, SCHEMA_VERSION, writeMeta } from '../db/pharmacy-database.js';
import { decideRestore, type LocalSyncState, type RestoreDecision } from '../domain/replication-decisions.js';
import type { Manifest } from './manifest.js';
import { decompressSnapshot, tempName } from './snapshot.js';
import type { SnapshotBucket } from './snapshot-bucket.js';

export interface RestoreTarget {
  pharmacyId: string;
  pharmacyKey: string;
  /** The local database file; must not be open while restoring. */
  file: string;
  tmpDir: string;
}

export interface RestoreOutcome {
  decision: RestoreDecision;
  generation?: number;
  /** Where local changes that were never uploaded were kept. */
  keptLocalCopy?: string;
}

/** Reads the sync state of a closed database file, or undefined when there is none. */
export function readLocalSyncState(file: string): LocalSyncState | undefined {
  if (!existsSync(file)) return undefined;
  const db = new Database(file, { fileMustExist: true });
  try {
    const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sync_meta'").get();
    if (!hasMeta) return { changeSeq: 0, uploadedChangeSeq: 0, syncedGeneration: 0 };
    return {
      changeSeq: readMetaNumber(db, 'change_seq'),
      uploadedChangeSeq: readMetaNumber(db, 'uploaded_change_seq'),
      syncedGeneration: readMetaNumber(db, 'synced_generation'),
    };
  } finally {
    db.close();
  }
}

/**
 * Replaces the local file with the latest generation in S3 when the file is missing or older than the manifest.
 * The download is verified (compressed and database checksums) before it is swapped in by rename.
 */
export async function restoreIfNeeded(
  bucket: SnapshotBucket,
  target: RestoreTarget,
  logger: Log,
): Promise<RestoreOutcome> {
  const manifest = await bucket.readManifest(target.pharmacyKey);
  const decision = decideRestore(readLocalSyncState(target.file), manifest);
  if (!manifest || decision === 'keep-local' || decision === 'nothing-remote') return { decision };
  if (manifest.pharmacyId !== target.pharmacyId) {
    throw new UnavailableError('SNAPSHOT_FOREIGN', `Manifest of ${target.pharmacyKey} names another pharmacy`);
  }
  if (manifest.schemaVersion > SCHEMA_VERSION) {
    throw new UnavailableError(
      'SNAPSHOT_SCHEMA_NEWER',
      `Generation ${manifest.generation} has schema ${manifest.schemaVersion}, this service knows ${SCHEMA_VERSION}`,
    );
  }
  const restored = await downloadVerified(bucket, manifest, target);
  let keptLocalCopy: string | undefined;
  try {
    if (decision === 'restore-keeping-local-copy') {
      keptLocalCopy = `${target.file}.unsynced-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await rename(target.file, keptLocalCopy);
      if (existsSync(`${target.file}-wal`)) await rename(`${target.file}-wal`, `${keptLocalCopy}-wal`);
    }
    // A WAL left by a crashed process would be replayed into the restored file.
    await rm(`${target.file}-wal`, { force: true });
    await rm(`${target.file}-shm`, { force: true });
    await rename(restored, target.file);
  } catch (error) {
    await rm(restored, { force: true });
    throw error;
  }
  logger.info(
    { pharmacyId: target.pharmacyId, generation: manifest.generation, decision, keptLocalCopy },
    'database restored from S3',
  );
  return { decision, generation: manifest.generation, keptLocalCopy };
}

async function downloadVerified(bucket: SnapshotBucket, manifest: Manifest, target: RestoreTarget): Promise<string> {
  const gz = tempName(target.tmpDir, `${target.pharmacyKey}.restore.db.gz`);
  const db = tempName(target.tmpDir, `${target.pharmacyKey}.restore.db`);
  try {
    const downloaded = await bucket.download(manifest.key, gz);
    if (downloaded.sha256 !== manifest.sha256 || downloaded.size !== manifest.size) {
      throw new UnavailableError(
        'SNAPSHOT_CORRUPT',
        `Generation ${manifest.generation} does not match its manifest (sha256 ${downloaded.sha256})`,
      );
    }
    const unpacked = await decompressSnapshot(gz, db);
    if (unpacked.sha256 !== manifest.dbSha256 || unpacked.size !== manifest.dbSize) {
      throw new UnavailableError('SNAPSHOT_CORRUPT', `Generation ${manifest.generation} decompresses to other bytes`);
    }
    markRestored(db, manifest);
    return db;
  } catch (error) {
    await rm(db, { force: true });
    throw error;
  } finally {
    await rm(gz, { force: true });
  }
}

/** The restored file is exactly that generation: nothing in it is waiting for upload. */
function markRestored(file: string, manifest: Manifest): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    const owner = readMeta(db, 'pharmacy_id');
    if (owner !== manifest.pharmacyId) throw new UnavailableError('SNAPSHOT_FOREIGN', 'Snapshot of another pharmacy');
    writeMeta(db, 'synced_generation', manifest.generation);
    writeMeta(db, 'uploaded_change_seq', readMetaNumber(db, 'change_seq'));
  } finally {
    db.close();
  }
}
