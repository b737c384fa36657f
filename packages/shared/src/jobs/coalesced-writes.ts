/**
 * Runs `write` when asked, coalesced: at most one write in flight, and every request made meanwhile becomes a
 * single write after it, which reads the latest state then (the latest wins). With `minIntervalMs`, a write
 * starts at least that long after the previous one started; the first one starts at once.
 *
 * `write` owns its state: it takes what is pending when it starts and puts back what it could not write. A
 * failed write is not retried on its own; the next request (or the caller's last write) carries its state.
 */
export class CoalescedWrites {
  private dirty = false;
  private closed = false;
  private draining: Promise<void> | undefined;
  private lastStart = Number.NEGATIVE_INFINITY;
  private wake: (() => void) | undefined;

  constructor(
    private readonly write: () => Promise<unknown>,
    private readonly minIntervalMs = 0,
    private readonly now: () => number = Date.now,
  ) {}

  request(): void {
    if (this.closed) return;
    this.dirty = true;
    if (this.draining) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
    });
  }

  private async drain(): Promise<void> {
    while (this.dirty && !this.closed) {
      const wait = this.lastStart + this.minIntervalMs - this.now();
      if (wait > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
        continue;
      }
      this.dirty = false;
      this.lastStart = this.now();
      await this.write().catch(() => {});
    }
  }

  /**
   * No write starts after this; waits for the one in flight, if any. Returns whether a request was left
   * unwritten: the caller's own last write must then carry that state.
   */
  async close(): Promise<boolean> {
    this.closed = true;
    this.wake?.();
    await this.draining;
    return this.dirty;
  }
}
