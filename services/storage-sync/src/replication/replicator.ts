import { rm } from 'node:fs/promises';
import { toError } from '@pharma/shared/errors';
import { type Log, withoutCorrelationId } from '@pharma/shared/logger';
import { backoffDelay } from '@pharma/shared/retry';
import type { PharmacyDatabase } from '../db/pharmacy-database.js';
import { readMetaNumber, SCHEMA_VERSION, writeMeta } from '../db/pharmacy-database.js';
import { pharmacyKey } from '../domain/pharmacy-file.js';
import { decideUpload } from '../domain/replication-decisions.js';
import type { Manifest } from './manifest.js';
import { takeSnapshot } from './snapshot.js';
import type { SnapshotBucket, UploadVerification } from './snapshot-bucket.js';

export type ReplicationState = 'synced' | 'pending' | 'uploading' | 'behind' | 'conflict';

export interface ReplicationStatus {
  pharmacyId: string;
  state: ReplicationState;
  /** True while local changes are not yet in S3. */
  behind: boolean;
  localChangeSeq: number;
  uploadedChangeSeq: number;
  generation: number;
  consecutiveFailures: number;
  lastUploadAt?: string;
  lastError?: string;
  lastErrorAt?: string;
  nextAttemptAt?: string;
}

export interface ReplicatorOptions {
  bucket: SnapshotBucket;
  tmpDir: string;
  generationsKept: number;
  debounceMs: number;
  maxDelayMs: number;
  retryMinMs: number;
  retryMaxMs: number;
  gzipLevel: number;
  verifyUpload?: UploadVerification;
  writer: string;
  logger: Log;
  /** The open database of a pharmacy, if this instance holds it. */
  database(pharmacyId: string): PharmacyDatabase | undefined;
  onUploaded?(manifest: Manifest): Promise<void>;
  /** Called when a pharmacy's replication state changes, with the jobs whose data waits on it. */
  onStateChange?(status: ReplicationStatus, jobIds: string[]): Promise<void>;
}

interface Tracker {
  pharmacyId: string;
  state: ReplicationState;
  timer?: NodeJS.Timeout;
  dueAt?: number;
  firstDirtyAt?: number;
  running?: Promise<void>;
  again: boolean;
  failures: number;
  lastError?: string;
  lastErrorAt?: string;
  lastUploadAt?: string;
  jobs: Set<string>;
}

/**
 * Copies each pharmacy database to S3 after changes: debounced (bounded by a maximum delay), one upload at a
 * time per pharmacy, retried with backoff while S3 is down. Local writes never wait for it.
 */
export class Replicator {
  private readonly trackers = new Map<string, Tracker>();
  private stopped = false;

  constructor(private readonly options: ReplicatorOptions) {}

  /** Starts following a freshly opened database; uploads at once if it holds changes not yet in S3. */
  track(pharmacyId: string): void {
    const db = this.options.database(pharmacyId);
    if (db && readMetaNumber(db.sqlite, 'change_seq') > readMetaNumber(db.sqlite, 'uploaded_change_seq')) {
      this.markDirty(pharmacyId);
    }
  }

  markDirty(pharmacyId: string, jobId?: string): void {
    const tracker = this.tracker(pharmacyId);
    if (jobId) tracker.jobs.add(jobId);
    const now = Date.now();
    tracker.firstDirtyAt ??= now;
    if (tracker.state === 'synced') this.setState(tracker, 'pending');
    // While retrying, the backoff decides; a new change does not hammer a failing S3.
    if (tracker.failures > 0 && tracker.timer) return;
    const due = Math.min(now + this.options.debounceMs, tracker.firstDirtyAt + this.options.maxDelayMs);
    this.schedule(tracker, Math.max(0, due - now));
  }

  /** Uploads now (waiting for one in flight) and returns the resulting status. */
  async flush(pharmacyId: string): Promise<ReplicationStatus> {
    const tracker = this.tracker(pharmacyId);
    if (tracker.running) await tracker.running;
    this.clearTimer(tracker);
    await this.run(tracker);
    return this.status(pharmacyId);
  }

  /** Stops following a pharmacy (before its database closes), waiting for an upload in flight. */
  async untrack(pharmacyId: string): Promise<void> {
    const tracker = this.trackers.get(pharmacyId);
    if (!tracker) return;
    this.clearTimer(tracker);
    await tracker.running;
    this.trackers.delete(pharmacyId);
  }

  status(pharmacyId: string): ReplicationStatus {
    const tracker = this.tracker(pharmacyId);
    const db = this.options.database(pharmacyId);
    const localChangeSeq = db ? readMetaNumber(db.sqlite, 'change_seq') : 0;
    const uploadedChangeSeq = db ? readMetaNumber(db.sqlite, 'uploaded_change_seq') : 0;
    return {
      pharmacyId,
      state: tracker.state,
      behind: localChangeSeq > uploadedChangeSeq || tracker.state === 'conflict',
      localChangeSeq,
      uploadedChangeSeq,
      generation: db ? readMetaNumber(db.sqlite, 'synced_generation') : 0,
      consecutiveFailures: tracker.failures,
      lastUploadAt: tracker.lastUploadAt,
      lastError: tracker.lastError,
      lastErrorAt: tracker.lastErrorAt,
      nextAttemptAt: tracker.dueAt ? new Date(tracker.dueAt).toISOString() : undefined,
    };
  }

  statuses(): ReplicationStatus[] {
    return [...this.trackers.keys()].map((id) => this.status(id));
  }

  /** Pharmacies whose uploads fail or conflict: what /readyz reports. */
  failing(): ReplicationStatus[] {
    return this.statuses().filter((s) => s.state === 'behind' || s.state === 'conflict');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const tracker of this.trackers.values()) this.clearTimer(tracker);
    await Promise.allSettled([...this.trackers.values()].map((t) => t.running));
  }

  private tracker(pharmacyId: string): Tracker {
    let tracker = this.trackers.get(pharmacyId);
    if (!tracker) {
      tracker = { pharmacyId, state: 'synced', again: false, failures: 0, jobs: new Set() };
      this.trackers.set(pharmacyId, tracker);
    }
    return tracker;
  }

  private clearTimer(tracker: Tracker): void {
    clearTimeout(tracker.timer);
    tracker.timer = undefined;
    tracker.dueAt = undefined;
  }

  private schedule(tracker: Tracker, delayMs: number): void {
    if (this.stopped) return;
    const dueAt = Date.now() + delayMs;
    if (tracker.timer && tracker.dueAt !== undefined && tracker.dueAt <= dueAt) return;
    this.clearTimer(tracker);
    tracker.dueAt = dueAt;
    // An upload serves every job that changed the pharmacy since the last one: it runs under none of their ids.
    tracker.timer = withoutCorrelationId(() =>
      setTimeout(() => {
        tracker.timer = undefined;
        tracker.dueAt = undefined;
        void this.run(tracker);
      }, delayMs),
    );
    tracker.timer.unref();
  }

  private run(tracker: Tracker): Promise<void> {
    if (tracker.running) {
      tracker.again = true;
      return tracker.running;
    }
    tracker.running = this.attempt(tracker).finally(() => {
      tracker.running = undefined;
      if (tracker.again && !this.stopped) {
        tracker.again = false;
        this.schedule(tracker, 0);
      }
    });
    return tracker.running;
  }

  private async attempt(tracker: Tracker): Promise<void> {
    const { logger } = this.options;
    const db = this.options.database(tracker.pharmacyId);
    if (!db) return;
    const previous = tracker.state;
    if (tracker.state !== 'conflict') tracker.state = 'uploading';
    try {
      const outcome = await this.upload(db);
      if (outcome === 'conflict') {
        tracker.failures = 0;
        this.setState(tracker, 'conflict');
        return;
      }
      tracker.failures = 0;
      tracker.lastError = undefined;
      tracker.lastErrorAt = undefined;
      if (outcome === 'uploaded') tracker.lastUploadAt = new Date().toISOString();
      const dirty = readMetaNumber(db.sqlite, 'change_seq') > readMetaNumber(db.sqlite, 'uploaded_change_seq');
      if (dirty) {
        tracker.firstDirtyAt = Date.now();
        this.setState(tracker, 'pending', previous);
        this.schedule(tracker, this.options.debounceMs);
      } else {
        tracker.firstDirtyAt = undefined;
        this.setState(tracker, 'synced', previous);
      }
    } catch (thrown) {
      const error = toError(thrown);
      tracker.failures++;
      tracker.lastError = error.message;
      tracker.lastErrorAt = new Date().toISOString();
      const delay = backoffDelay(tracker.failures, {
        baseMs: this.options.retryMinMs,
        maxMs: this.options.retryMaxMs,
        jitter: 'half',
      });
      logger.warn(
        { err: error, pharmacyId: tracker.pharmacyId, failures: tracker.failures, retryInMs: delay },
        'snapshot upload failed, local work continues',
      );
      this.setState(tracker, 'behind', previous);
      this.schedule(tracker, delay);
    }
  }

  private setState(tracker: Tracker, state: ReplicationState, previous: ReplicationState = tracker.state): void {
    tracker.state = state;
    if (state === previous || !this.options.onStateChange) return;
    const jobIds = [...tracker.jobs];
    if (state === 'synced') tracker.jobs.clear();
    this.options.onStateChange(this.status(tracker.pharmacyId), jobIds).catch((error: unknown) => {
      this.options.logger.warn({ err: toError(error), pharmacyId: tracker.pharmacyId }, 'state change hook failed');
    });
  }

  private async upload(pdb: PharmacyDatabase): Promise<'uploaded' | 'up-to-date' | 'conflict'> {
    const { bucket, logger } = this.options;
    const key = pharmacyKey(pdb.pharmacyId);
    const remote = await bucket.readManifest(key);
    const local = () => ({
      changeSeq: readMetaNumber(pdb.sqlite, 'change_seq'),
      uploadedChangeSeq: readMetaNumber(pdb.sqlite, 'uploaded_change_seq'),
      syncedGeneration: readMetaNumber(pdb.sqlite, 'synced_generation'),
    });
    const decision = decideUpload(local(), remote);
    if (decision.action === 'up-to-date') return 'up-to-date';
    if (decision.action === 'conflict') {
      logger.error(
        { pharmacyId: pdb.pharmacyId, remoteGeneration: decision.remoteGeneration, local: local() },
        'S3 holds a newer generation than this database: not uploading (restore to resolve)',
      );
      return 'conflict';
    }
    const snapshot = await takeSnapshot(pdb.sqlite, this.options.tmpDir, key, this.options.gzipLevel);
    try {
      const objectKey = bucket.generationKey(key, decision.generation);
      await bucket.putGeneration(objectKey, snapshot.file, snapshot, this.options.verifyUpload);
      const manifest: Manifest = {
        formatVersion: 1,
        pharmacyId: pdb.pharmacyId,
        generation: decision.generation,
        key: objectKey,
        compression: 'gzip',
        sha256: snapshot.sha256,
        size: snapshot.size,
        dbSha256: snapshot.dbSha256,
        dbSize: snapshot.dbSize,
        schemaVersion: SCHEMA_VERSION,
        changeSeq: snapshot.changeSeq,
        createdAt: new Date().toISOString(),
        writer: this.options.writer,
      };
      // Re-checked just before the manifest is written: it is the commit point of a generation.
      const latest = await bucket.readManifest(key);
      if (latest && latest.generation >= decision.generation) {
        await bucket.deleteKeys([objectKey]).catch(() => {});
        return 'conflict';
      }
      await bucket.writeManifest(key, manifest);
      pdb.sqlite.transaction(() => {
        writeMeta(pdb.sqlite, 'synced_generation', manifest.generation);
        writeMeta(pdb.sqlite, 'uploaded_change_seq', snapshot.changeSeq);
      })();
      logger.info(
        { pharmacyId: pdb.pharmacyId, generation: manifest.generation, size: manifest.size, dbSize: manifest.dbSize },
        'snapshot uploaded',
      );
      await this.prune(key, manifest.generation);
      await this.options.onUploaded?.(manifest).catch((error: unknown) => {
        logger.warn({ err: toError(error), pharmacyId: pdb.pharmacyId }, 'announcing the upload failed');
      });
      return 'uploaded';
    } finally {
      await rm(snapshot.file, { force: true });
    }
  }

  private async prune(key: string, latest: number): Promise<void> {
    const { bucket, generationsKept, logger } = this.options;
    try {
      const old = (await bucket.listGenerations(key)).filter((g) => g.generation <= latest - generationsKept);
      if (old.length > 0) await bucket.deleteKeys(old.map((g) => g.key));
    } catch (error) {
      logger.warn({ err: toError(error), key }, 'pruning old generations failed; retried after the next upload');
    }
  }
}
