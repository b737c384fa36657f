/** Waited longer than allowed for a slot. */
export class SlotWaitExpired extends Error {
  override readonly name = 'SlotWaitExpired';
  constructor(readonly waitedMs: number) {
    super(`no slot free within ${waitedMs} ms`);
  }
}

export interface SlotGrant {
  /** Time spent in the queue before the slot was granted (0 when one was free). */
  waitedMs: number;
  /** Gives the slot back; later calls do nothing. */
  release(): void;
}

interface Waiter {
  enqueuedAt: number;
  grant(slot: SlotGrant): void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export interface FifoSlotsOptions {
  /** Called after every change of `active` or `queued`. */
  onChange?: (state: { active: number; queued: number }) => void;
  now?: () => number;
}

/**
 * At most `limit` holders at once; callers wait in arrival order. A freed slot goes straight to the first
 * waiter, so a newcomer never overtakes the queue. A waiter gives up after its own `maxWaitMs`, if it set one.
 */
export class FifoSlots {
  private held = 0;
  private readonly waiters: Waiter[] = [];
  private readonly now: () => number;

  constructor(
    readonly limit: number,
    private readonly options: FifoSlotsOptions = {},
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`slot limit must be a positive integer: ${limit}`);
    this.now = options.now ?? Date.now;
  }

  get active(): number {
    return this.held;
  }

  get queued(): number {
    return this.waiters.length;
  }

  /** Resolves with a slot, or rejects with SlotWaitExpired after `maxWaitMs` in the queue (none: waits as long as it takes). */
  acquire(maxWaitMs?: number): Promise<SlotGrant> {
    if (this.held < this.limit && this.waiters.length === 0) {
      this.held += 1;
      this.changed();
      return Promise.resolve(this.grantOf(0));
    }
    return new Promise<SlotGrant>((resolve, reject) => {
      const waiter: Waiter = { enqueuedAt: this.now(), grant: resolve, timer: undefined };
      if (maxWaitMs !== undefined) {
        waiter.timer = setTimeout(() => {
          const index = this.waiters.indexOf(waiter);
          if (index < 0) return;
          this.waiters.splice(index, 1);
          this.changed();
          reject(new SlotWaitExpired(this.now() - waiter.enqueuedAt));
        }, maxWaitMs);
      }
      this.waiters.push(waiter);
      this.changed();
    });
  }

  /**
   * Runs `task` holding a slot and gives the slot back however it ends; with a limit of 1 this is a lock whose
   * tasks run one after the other in the order they asked.
   */
  async run<T>(task: () => Promise<T> | T, maxWaitMs?: number): Promise<T> {
    const slot = await this.acquire(maxWaitMs);
    try {
      return await task();
    } finally {
      slot.release();
    }
  }

  private grantOf(waitedMs: number): SlotGrant {
    let released = false;
    return {
      waitedMs,
      release: () => {
        if (released) return;
        released = true;
        this.handOn();
      },
    };
  }

  /** A released slot passes to the first waiter, or becomes free. */
  private handOn(): void {
    const next = this.waiters.shift();
    if (next) {
      clearTimeout(next.timer);
      next.grant(this.grantOf(this.now() - next.enqueuedAt));
    } else {
      this.held -= 1;
    }
    this.changed();
  }

  private changed(): void {
    this.options.onChange?.({ active: this.held, queued: this.waiters.length });
  }
}
