import { CHROMIUM_ARGS } from '@pharma/shared/chromium';
import { type Browser, chromium } from 'playwright-core';

/** One Chromium per service, launched on first use (only the DOM path needs it) and again if it died. */
export class BrowserHolder {
  private browser: Promise<Browser> | undefined;

  constructor(private readonly executablePath: string) {}

  get(): Promise<Browser> {
    if (!this.browser) {
      const launching = chromium.launch({
        executablePath: this.executablePath,
        args: [...CHROMIUM_ARGS],
        headless: true,
      });
      this.browser = launching;
      const forget = () => {
        if (this.browser === launching) this.browser = undefined;
      };
      launching.then((browser) => browser.on('disconnected', forget), forget);
    }
    return this.browser;
  }

  async close(): Promise<void> {
    const browser = this.browser;
    this.browser = undefined;
    if (browser) await (await browser.catch(() => undefined))?.close();
  }
}
