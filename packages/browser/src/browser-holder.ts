import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from './chromium-args.js';

export interface BrowserHolderOptions {
  /** Called with the number of open contexts after each change. */
  onContexts?: (state: { open: number; peak: number }) => void;
}

/**
 * One headless Chromium per service, launched on first use and again if it died or crashed; each use gets its
 * own context. Counts the contexts it opened that are still open, and the most open at once.
 */
export class BrowserHolder {
  private browser: Promise<Browser> | undefined;
  private launched: Browser | undefined;
  private open = 0;
  private peak = 0;

  constructor(
    private readonly executablePath: string,
    private readonly options: BrowserHolderOptions = {},
  ) {}

  get contexts(): { open: number; peak: number } {
    return { open: this.open, peak: this.peak };
  }

  /** The running Chromium, launched if there is none (a failed launch is tried again at the next call). */
  get(): Promise<Browser> {
    // A crash is noticed through 'disconnected'; the check covers a crash whose event has not been handled yet.
    if (this.launched && !this.launched.isConnected()) this.forget(this.browser);
    if (!this.browser) {
      const launching = chromium.launch({
        executablePath: this.executablePath,
        args: [...CHROMIUM_ARGS],
        headless: true,
      });
      this.browser = launching;
      launching.then(
        (browser) => {
          if (this.browser === launching) this.launched = browser;
          browser.on('disconnected', () => this.forget(launching));
        },
        () => this.forget(launching),
      );
    }
    return this.browser;
  }

  /** A fresh context; if Chromium turns out to be gone, it is launched again once. */
  async newContext(): Promise<BrowserContext> {
    let browser = await this.get();
    let context: BrowserContext;
    try {
      context = await browser.newContext();
    } catch (error) {
      if (browser.isConnected()) throw error;
      browser = await this.get();
      context = await browser.newContext();
    }
    this.open += 1;
    // Chromium's own count catches a context opened elsewhere and never closed.
    this.peak = Math.max(this.peak, this.open, browser.contexts().length);
    // Also emitted when the browser closes or crashes under the context.
    context.once('close', () => {
      this.open -= 1;
      this.changed();
    });
    this.changed();
    return context;
  }

  async close(): Promise<void> {
    const browser = this.browser;
    this.forget(browser);
    if (browser) await (await browser.catch(() => undefined))?.close();
  }

  private forget(browser: Promise<Browser> | undefined): void {
    if (browser === undefined || this.browser !== browser) return;
    this.browser = undefined;
    this.launched = undefined;
  }

  private changed(): void {
    this.options.onContexts?.({ open: this.open, peak: this.peak });
  }
}
