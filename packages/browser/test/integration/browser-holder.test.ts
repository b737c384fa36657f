import { chromiumBrowsersOf, testChromiumPath } from '@pharma/testkit';
import type { Browser } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { BrowserHolder } from '../../src/index.js';

const holders: BrowserHolder[] = [];
function createHolder(onContexts?: (state: { open: number; peak: number }) => void): BrowserHolder {
  const holder = new BrowserHolder(testChromiumPath(), { onContexts });
  holders.push(holder);
  return holder;
}

afterEach(async () => {
  await Promise.all(holders.splice(0).map((holder) => holder.close()));
  expect(await chromiumBrowsersOf()).toEqual([]);
});

const disconnected = (browser: Browser) =>
  new Promise<void>((resolve) => browser.once('disconnected', () => resolve()));

describe('BrowserHolder on a real Chromium', () => {
  it('launches one Chromium on first use and counts the contexts open and the most at once', async () => {
    const states: { open: number; peak: number }[] = [];
    const holder = createHolder((state) => states.push(state));
    expect(await chromiumBrowsersOf()).toEqual([]);

    const [first, second] = await Promise.all([holder.get(), holder.get()]);
    expect(second).toBe(first);
    expect(await chromiumBrowsersOf()).toHaveLength(1);

    const contexts = await Promise.all([holder.newContext(), holder.newContext()]);
    expect(holder.contexts).toEqual({ open: 2, peak: 2 });
    await Promise.all(contexts.map((context) => context.close()));
    expect(holder.contexts).toEqual({ open: 0, peak: 2 });
    expect(states.at(-1)).toEqual({ open: 0, peak: 2 });
    expect(await chromiumBrowsersOf()).toHaveLength(1);
  });

  it('opens a context in a new Chromium when the old one was killed and its event not handled yet', async () => {
    const holder = createHolder();
    const context = await holder.newContext();
    const [pid] = await chromiumBrowsersOf();
    process.kill(pid!, 'SIGKILL');
    // Same tick as the kill: the holder still believes in the old browser, whose newContext then fails.
    const fresh = await holder.newContext();
    const page = await fresh.newPage();
    await page.setContent('<p>alive</p>');
    expect(await page.textContent('p')).toBe('alive');

    const after = await chromiumBrowsersOf();
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(pid);
    expect(context.browser()?.isConnected()).toBe(false);
    // The killed browser's context counts as closed.
    expect(holder.contexts.open).toBe(1);
  });

  it('gives a new Chromium after the old one crashed and said so', async () => {
    const holder = createHolder();
    const browser = await holder.get();
    const [pid] = await chromiumBrowsersOf();
    const gone = disconnected(browser);
    process.kill(pid!, 'SIGKILL');
    await gone;

    const again = await holder.get();
    expect(again).not.toBe(browser);
    expect(again.isConnected()).toBe(true);
    expect(await chromiumBrowsersOf()).not.toContain(pid);
  });

  it('tries a failed launch again at the next use', async () => {
    const holder = new BrowserHolder('/nonexistent/chromium');
    const first = holder.get();
    await expect(first).rejects.toThrow();
    const second = holder.get();
    expect(second).not.toBe(first);
    await expect(second).rejects.toThrow();
  });

  it('closes its Chromium, and launches one again if used after', async () => {
    const holder = createHolder();
    const browser = await holder.get();
    await holder.close();
    expect(browser.isConnected()).toBe(false);
    expect(await chromiumBrowsersOf()).toEqual([]);
    expect((await holder.get()).isConnected()).toBe(true);
  });
});
