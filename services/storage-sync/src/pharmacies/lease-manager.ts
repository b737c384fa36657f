import { toError } from '@pharma/shared/errors';
import type { Log } from '@pharma/shared/logger';
import { type KV, type NatsContext, openKv } from '@pharma/shared/messaging';

export const LEASES_BUCKET = 'storage-leases';

export type LeaseResult = { owned: true } | { owned: false; owner: string };

interface HeldLease {
  revision: number;
  renewedAt: number;
}

/**
 * Ownership of pharmacy databases across instances: a KV entry per pharmacy holding the owner's id, expiring
 * (bucket TTL) unless renewed. Only the owner writes a pharmacy's file, so two instances never write one file.
 */
export class LeaseManager {
  private readonly held = new Map<string, HeldLease>();
  private readonly lostHandlers: ((key: string) => void)[] = [];
  private readonly timer: NodeJS.Timeout;
  /** The renewal under way, if any: a release waits for it, else it would delete by a revision just replaced. */
  private renewal: Promise<void> = Promise.resolve();

  private constructor(
    private readonly kv: KV,
    readonly instanceId: string,
    private readonly ttlMs: number,
    private readonly logger: Log,
  ) {
    this.timer = setInterval(() => void this.renew(), Math.max(500, Math.floor(ttlMs / 3)));
    this.timer.unref();
  }

  static async open(ctx: NatsContext, options: { instanceId: string; ttlMs: number; logger: Log }) {
    const kv = await openKv(ctx, LEASES_BUCKET, { history: 1, ttl: options.ttlMs });
    return new LeaseManager(kv, options.instanceId, options.ttlMs, options.logger);
  }

  holds(key: string): boolean {
    const lease = this.held.get(key);
    return lease !== undefined && Date.now() - lease.renewedAt < this.ttlMs;
  }

  onLost(handler: (key: string) => void): void {
    this.lostHandlers.push(handler);
  }

  async acquire(key: string): Promise<LeaseResult> {
    if (this.holds(key)) return { owned: true };
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const revision = await this.kv.create(key, this.instanceId);
        this.held.set(key, { revision, renewedAt: Date.now() });
        return { owned: true };
      } catch (error) {
        if (!/wrong last sequence|key exists/i.test(String(error))) throw error;
      }
      const entry = await this.kv.get(key);
      if (entry?.operation !== 'PUT') continue;
      const owner = entry.string();
      if (owner !== this.instanceId) return { owned: false, owner };
      // Our own entry (e.g. after a restart with a fixed instance id): take it over.
      try {
        const revision = await this.kv.update(key, this.instanceId, entry.revision);
        this.held.set(key, { revision, renewedAt: Date.now() });
        return { owned: true };
      } catch {
        // Someone else wrote it meanwhile: look again.
      }
    }
    const entry = await this.kv.get(key);
    return { owned: false, owner: entry?.operation === 'PUT' ? entry.string() : 'unknown' };
  }

  /** The instance holding a pharmacy, if any. */
  async ownerOf(key: string): Promise<string | undefined> {
    if (this.holds(key)) return this.instanceId;
    const entry = await this.kv.get(key);
    return entry?.operation === 'PUT' ? entry.string() : undefined;
  }

  async release(key: string): Promise<void> {
    if (!this.held.has(key)) return;
    await this.renewal;
    const lease = this.held.get(key);
    if (!lease) return;
    this.held.delete(key);
    await this.kv.delete(key, { previousSeq: lease.revision }).catch((error: unknown) => {
      this.logger.warn({ err: toError(error), key }, 'lease release failed; it expires on its own');
    });
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.renewal;
    await Promise.allSettled([...this.held.keys()].map((key) => this.release(key)));
  }

  /** Renews every lease held (the timer does, a third of the lifetime apart). */
  renew(): Promise<void> {
    this.renewal = this.renewAll();
    return this.renewal;
  }

  private async renewAll(): Promise<void> {
    for (const [key, lease] of [...this.held]) {
      try {
        lease.revision = await this.kv.update(key, this.instanceId, lease.revision);
        lease.renewedAt = Date.now();
      } catch (error) {
        const expired = Date.now() - lease.renewedAt >= this.ttlMs;
        const takenOver = /wrong last sequence/i.test(String(error));
        if (!expired && !takenOver) {
          this.logger.warn({ err: toError(error), key }, 'lease renewal failed, retrying');
          continue;
        }
        this.logger.error({ key, expired, takenOver }, 'lease lost: this instance stops writing the pharmacy');
        this.held.delete(key);
        for (const handler of this.lostHandlers) handler(key);
      }
    }
  }
}
