import { BrowserHolder } from '@pharma/browser';
import { UnavailableError } from '@pharma/shared/errors';
import type { Log } from '@pharma/shared/logger';
import { counter, gauge, histogram } from '@pharma/shared/metrics';
import { FifoSlots, SlotWaitExpired } from '@pharma/shared/slots';
import type { BrowserContext } from 'playwright-core';

/** Every browser slot stayed taken for longer than the caller may wait. */
export class SobrusLoginBusy extends UnavailableError {
  constructor() {
    super('SOBRUS_LOGIN_BUSY', 'Sobrus login is busy, try again');
  }
}

export interface BrowserLoginsOptions {
  chromiumPath: string;
  /** Logins in the browser at once; more wait in arrival order. */
  concurrency: number;
  /** Longest a login waits for a slot before it is refused as busy. */
  maxWaitMs: number;
  /** Bound on closing a context, so a hung browser cannot keep a slot forever. */
  closeTimeoutMs: number;
  logger: Log;
}

const metrics = {
  active: () => gauge('pharma_auth_browser_logins_active', 'Sobrus logins running in the browser'),
  queued: () => gauge('pharma_auth_browser_logins_queued', 'Sobrus logins waiting for a browser slot'),
  wait: () =>
    histogram(
      'pharma_auth_browser_login_wait_seconds',
      'Time a Sobrus login waited for a browser slot',
      [],
      [0, 0.1, 1, 5, 15, 30, 60],
    ),
  busy: () => counter('pharma_auth_browser_logins_busy_total', 'Sobrus logins refused after waiting too long'),
  contextsOpen: () => gauge('pharma_auth_browser_contexts_open', 'Browser contexts open'),
  contextsPeak: () =>
    gauge('pharma_auth_browser_contexts_peak', 'Most browser contexts open at once since the service started'),
};

/**
 * Runs browser work (Sobrus logins) with a bounded number at once, in arrival order. Each run gets a fresh
 * context, closed afterwards whatever happened, and gives its slot back. Timeouts inside the work only start
 * once the slot is granted: time in the queue is bounded by `maxWaitMs` alone.
 */
export class BrowserLogins {
  private readonly slots: FifoSlots;
  readonly browsers: BrowserHolder;
  private readonly metrics = {
    active: metrics.active(),
    queued: metrics.queued(),
    wait: metrics.wait(),
    busy: metrics.busy(),
    contextsOpen: metrics.contextsOpen(),
    contextsPeak: metrics.contextsPeak(),
  };

  constructor(private readonly options: BrowserLoginsOptions) {
    // The registry is per process: a new instance (a test's second app) starts the gauges afresh.
    for (const metric of [
      this.metrics.active,
      this.metrics.queued,
      this.metrics.contextsOpen,
      this.metrics.contextsPeak,
    ])
      metric.set(0);
    this.slots = new FifoSlots(options.concurrency, {
      onChange: ({ active, queued }) => {
        this.metrics.active.set(active);
        this.metrics.queued.set(queued);
      },
    });
    this.browsers = new BrowserHolder(options.chromiumPath, {
      onContexts: ({ open, peak }) => {
        this.metrics.contextsOpen.set(open);
        this.metrics.contextsPeak.set(peak);
      },
    });
  }

  async run<T>(who: string, work: (context: BrowserContext) => Promise<T>): Promise<T> {
    const { logger, maxWaitMs } = this.options;
    let slot: Awaited<ReturnType<FifoSlots['acquire']>>;
    try {
      slot = await this.slots.acquire(maxWaitMs);
    } catch (error) {
      if (!(error instanceof SlotWaitExpired)) throw error;
      this.metrics.busy.inc();
      this.metrics.wait.observe(error.waitedMs / 1000);
      logger.warn({ who, waitedMs: error.waitedMs, active: this.slots.active }, 'sobrus login busy');
      throw new SobrusLoginBusy();
    }
    this.metrics.wait.observe(slot.waitedMs / 1000);
    logger.debug({ who, waitedMs: slot.waitedMs, queued: this.slots.queued }, 'browser login slot granted');
    try {
      let context: BrowserContext;
      try {
        context = await this.browsers.newContext();
      } catch (error) {
        throw new UnavailableError('BROWSER_UNAVAILABLE', 'Chromium could not be started', error);
      }
      try {
        return await work(context);
      } finally {
        await this.closeContext(context);
      }
    } finally {
      slot.release();
    }
  }

  close(): Promise<void> {
    return this.browsers.close();
  }

  private async closeContext(context: BrowserContext): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const gaveUp = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.options.closeTimeoutMs);
    });
    const outcome = await Promise.race([context.close().then(() => 'closed' as const), gaveUp]).catch(
      () => 'failed' as const,
    );
    clearTimeout(timer);
    if (outcome !== 'closed') this.options.logger.warn({ outcome }, 'browser context did not close');
  }
}
