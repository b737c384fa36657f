import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AppError, toError, UnavailableError } from '@pharma/shared/errors';
import type { Log } from '@pharma/shared/logger';
import Database from 'better-sqlite3';
import { openPharmacyDatabase, type PharmacyDatabase, readMeta } from '../db/pharmacy-database.js';
import { normalisePharmacyId, pharmacyFileName, pharmacyKey } from '../domain/pharmacy-file.js';
import type { Replicator } from '../replication/replicator.js';
import { type RestoreOutcome, restoreIfNeeded } from '../replication/restore.js';
import type { SnapshotBucket } from '../replication/snapshot-bucket.js';
import type { LeaseManager } from './lease-manager.js';

/** Another instance holds this pharmacy: messages are retried later, requests are forwarded to the owner. */
export class NotOwnerError extends AppError {
  constructor(
    readonly pharmacyId: string,
    readonly owner: string,
  ) {
    super('PHARMACY_OWNED_ELSEWHERE', `Pharmacy ${pharmacyId} is held by instance ${owner}`, {
      statusCode: 503,
      retryable: true,
    });
  }
}

export interface PharmacyDatabasesOptions {
  dataDir: string;
  leases: LeaseManager;
  bucket: SnapshotBucket;
  logger: Log;
}

/**
 * The pharmacy databases this instance holds. Opening one takes its lease, restores it from S3 when the local
 * file is missing or older than the manifest, then opens it for writing.
 */
export class PharmacyDatabases {
  readonly tmpDir: string;
  private readonly open = new Map<string, PharmacyDatabase>();
  private readonly opening = new Map<string, Promise<PharmacyDatabase>>();
  private replicator?: Replicator;

  constructor(private readonly options: PharmacyDatabasesOptions) {
    this.tmpDir = join(options.dataDir, '.tmp');
    // Left-overs of a crash (half-written snapshots and downloads) are never read again.
    rmSync(this.tmpDir, { recursive: true, force: true });
    mkdirSync(this.tmpDir, { recursive: true });
    options.leases.onLost((key) => {
      const id = [...this.open.keys()].find((pharmacyId) => pharmacyKey(pharmacyId) === key);
      if (id) void this.close(id, { release: false });
    });
  }

  attach(replicator: Replicator): void {
    this.replicator = replicator;
  }

  fileOf(pharmacyId: string): string {
    return join(this.options.dataDir, pharmacyFileName(pharmacyId));
  }

  /** The database if this instance has it open. */
  peek(pharmacyId: string): PharmacyDatabase | undefined {
    return this.open.get(pharmacyId);
  }

  held(): string[] {
    return [...this.open.keys()];
  }

  async get(rawPharmacyId: string): Promise<PharmacyDatabase> {
    const pharmacyId = normalisePharmacyId(rawPharmacyId);
    let pending = this.opening.get(pharmacyId);
    if (pending) return pending;
    const open = this.open.get(pharmacyId);
    if (open && this.options.leases.holds(pharmacyKey(pharmacyId))) return open;
    pending = this.openHeld(pharmacyId).finally(() => this.opening.delete(pharmacyId));
    this.opening.set(pharmacyId, pending);
    return pending;
  }

  /** Restores from S3 on demand: closes the file, restores if the manifest is newer, opens it again. */
  async restore(rawPharmacyId: string): Promise<RestoreOutcome> {
    const pharmacyId = normalisePharmacyId(rawPharmacyId);
    await this.get(pharmacyId);
    let outcome: RestoreOutcome = { decision: 'keep-local' };
    // Registered as "opening" so that nobody uses the file while it is swapped.
    const pending = (async () => {
      await this.close(pharmacyId, { release: false });
      outcome = await this.restoreFile(pharmacyId, { allowStaleLocal: false });
      return this.openHeld(pharmacyId);
    })().finally(() => this.opening.delete(pharmacyId));
    this.opening.set(pharmacyId, pending);
    await pending;
    return outcome;
  }

  /**
   * At start: takes up the pharmacies whose files are on this disk, so that a file older than S3 is restored and
   * changes a crash left un-uploaded go to S3 without waiting for the next event. Pharmacies held elsewhere are skipped.
   */
  async openLocalFiles(): Promise<string[]> {
    const opened: string[] = [];
    for (const name of readdirSync(this.options.dataDir)) {
      if (!/^pharmacie_.*\.db$/.test(name)) continue;
      try {
        const pharmacyId = pharmacyIdOf(join(this.options.dataDir, name));
        if (!pharmacyId) continue;
        await this.get(pharmacyId);
        opened.push(pharmacyId);
      } catch (error) {
        const level = error instanceof NotOwnerError ? 'info' : 'warn';
        this.options.logger[level]({ err: toError(error), file: name }, 'local database not taken up at start');
      }
    }
    return opened;
  }

  async close(pharmacyId: string, { release = true } = {}): Promise<void> {
    await this.replicator?.untrack(pharmacyId);
    const db = this.open.get(pharmacyId);
    this.open.delete(pharmacyId);
    db?.sqlite.close();
    if (release) await this.options.leases.release(pharmacyKey(pharmacyId));
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.opening.values()]);
    for (const pharmacyId of [...this.open.keys()]) await this.close(pharmacyId);
  }

  private async openHeld(pharmacyId: string): Promise<PharmacyDatabase> {
    const key = pharmacyKey(pharmacyId);
    const lease = await this.options.leases.acquire(key);
    if (!lease.owned) throw new NotOwnerError(pharmacyId, lease.owner);
    const existing = this.open.get(pharmacyId);
    if (existing) return existing;
    try {
      await this.restoreFile(pharmacyId, { allowStaleLocal: true });
      const db = openPharmacyDatabase(this.fileOf(pharmacyId), pharmacyId);
      this.open.set(pharmacyId, db);
      this.replicator?.track(pharmacyId);
      return db;
    } catch (error) {
      // Another instance may be able to serve it (its disk, its view of S3).
      await this.options.leases.release(key);
      throw error;
    }
  }

  private async restoreFile(pharmacyId: string, { allowStaleLocal }: { allowStaleLocal: boolean }) {
    const file = this.fileOf(pharmacyId);
    try {
      return await restoreIfNeeded(
        this.options.bucket,
        { pharmacyId, pharmacyKey: pharmacyKey(pharmacyId), file, tmpDir: this.tmpDir },
        this.options.logger,
      );
    } catch (error) {
      // Without S3 we cannot know whether a newer copy exists. With a local file, work goes on (uploads refuse to
      // overwrite a newer generation later); without one, the message waits rather than starting an empty file.
      if (allowStaleLocal && existsSync(file)) {
        this.options.logger.warn(
          { err: toError(error), pharmacyId },
          'could not check S3 for a newer copy; using the local file',
        );
        return { decision: 'keep-local' as const };
      }
      if (error instanceof AppError) throw error;
      throw new UnavailableError('S3_UNAVAILABLE', `Cannot check S3 for pharmacy ${pharmacyId}`, error);
    }
  }
}

function pharmacyIdOf(file: string): string | undefined {
  const db = new Database(file, { fileMustExist: true });
  try {
    const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sync_meta'").get();
    return hasMeta ? readMeta(db, 'pharmacy_id') : undefined;
  } finally {
    db.close();
  }
}
