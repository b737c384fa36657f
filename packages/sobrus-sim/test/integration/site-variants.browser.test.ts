import { testChromiumOptions } from '@pharma/testkit';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RunningSimulator,
  SITE_TRAITS,
  SITE_VARIANTS,
  type SiteVariant,
  startSimulator,
} from '../../src/index.js';
import { DEMO, httpLogin, TEST_TODAY } from '../helpers.js';

const CUSTOMERS = 121;
const EMPTY = { email: 'pharmacie20@sim.test', password: 'sim-pass-20' };
const sims = {} as Record<SiteVariant, RunningSimulator>;
let browser: Browser;

beforeAll(async () => {
  const started = SITE_VARIANTS.map(async (site) => {
    sims[site] = await startSimulator({ seed: 'variants-browser', customers: CUSTOMERS, today: TEST_TODAY, site });
  });
  [browser] = await Promise.all([chromium.launch(testChromiumOptions()), ...started]);
});
afterAll(async () => {
  await browser?.close();
  await Promise.all(Object.values(sims).map((sim) => sim.close()));
});

/** The original tool's sign-in, click for click; returns the origin+path of every page the tab went through. */
async function signIn(page: Page, sim: RunningSimulator): Promise<string[]> {
  const visited: string[] = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) visited.push(new URL(frame.url()).origin + new URL(frame.url()).pathname);
  });
  await page.goto(sim.appUrl);
  await page.click(`button[data-testid="s'identifier"]`);
  await page.waitForURL((url) => url.origin === sim.accountsUrl);
  await page.fill('input[name=login]', DEMO.email);
  await page.click('button.btn-signup');
  await page.fill('input[name=password]', DEMO.password);
  await page.click('button.btn-signup');
  await page.waitForURL((url) => url.origin === sim.appUrl && url.pathname === '/');
  return visited;
}

const pagination = 'div.sob-v2-table-pagination';
/** "Next" is the pagination's last child when it is a button; html-only removes it on the last page. */
const nextButton = `${pagination} > button.sob-v2-TablePage__btn:last-child`;

async function nextEnabled(page: Page): Promise<boolean> {
  return page.$eval(pagination, (element) => {
    const last = element.lastElementChild;
    return last?.tagName === 'BUTTON' && !last.classList.contains('sob-v2-TablePage__disabled');
  });
}

const ROWS = 'table.sob-v2-table tbody tr';

/**
 * Ids of the customers whose row was clicked, read from the navigations the clicks start (each answered 204,
 * so the list stays). The first row of a page gets a real mouse click; the others are clicked from the page,
 * one at a time, each waiting until its navigation was seen: hundreds of mouse clicks would take most of a minute.
 */
class Clicks {
  readonly ids: string[] = [];
  private readonly waiters: { count: number; resolve: () => void }[] = [];

  async attach(page: Page, appUrl: string): Promise<void> {
    await page.exposeFunction('rowClickSeen', (count: number) => this.seen(count));
    await page.route(
      (url) => url.origin === appUrl && url.pathname.startsWith('/customer/'),
      async (route) => {
        this.ids.push(decodeURIComponent(new URL(route.request().url()).pathname.split('/')[2]!));
        for (const waiter of this.waiters.filter((w) => w.count <= this.ids.length)) waiter.resolve();
        await route.fulfill({ status: 204 });
      },
    );
  }

  seen(count: number): Promise<void> {
    if (this.ids.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  async clickRows(page: Page): Promise<{ id: string; name: string }[]> {
    const names = await page.$$eval(ROWS, (rows) => rows.map((row) => row.querySelector('th > span')?.textContent));
    const start = this.ids.length;
    await page.locator(ROWS).first().click();
    await this.seen(start + 1);
    await page.evaluate(async (from) => {
      const seen = (window as unknown as { rowClickSeen(count: number): Promise<void> }).rowClickSeen;
      const rows = [...document.querySelectorAll<HTMLElement>('table.sob-v2-table tbody tr')];
      for (let index = 1; index < rows.length; index++) {
        rows[index]!.click();
        await seen(from + index + 1);
      }
    }, start);
    return names.map((name, index) => ({ id: this.ids[start + index]!, name: name ?? '' }));
  }
}

/** A walk clicks every row one at a time: 10–20 s on a busy two-core machine, hence the margin over the default. */
const WALK_TIMEOUT_MS = 150_000;

describe('every site variant in a real browser', () => {
  it.each(SITE_VARIANTS)(
    '%s: signs in, walks every page with "next" and finds the truth',
    async (site) => {
      const sim = sims[site];
      const traits = SITE_TRAITS[site];
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        const visited = await signIn(page, sim);
        expect(visited.includes(`${sim.accountsUrl}/oauth/authorize`)).toBe(traits.signInHop);

        const clicks = new Clicks();
        await clicks.attach(page, sim.appUrl);
        await page.goto(`${sim.appUrl}/customers`);
        const seen: { id: string; name: string }[] = [];
        for (let pageNumber = 1; ; pageNumber++) {
          await page.waitForFunction(
            (expected) => document.querySelector('span.sob-v2-TablePage')?.textContent === expected,
            String(pageNumber),
          );
          await page.waitForSelector(ROWS);
          seen.push(...(await clicks.clickRows(page)));
          if (!(await nextEnabled(page))) break;
          await page.click(nextButton);
        }

        const truth = sim.truth.customers(DEMO.email);
        const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
        expect(seen).toHaveLength(CUSTOMERS);
        expect([...seen].sort(byId)).toEqual(truth.map((c) => ({ id: c.clientKey, name: c.name })).sort(byId));
        const pages = Math.ceil(CUSTOMERS / traits.pageSize);
        expect(await page.textContent('span.sob-v2-TablePage')).toBe(String(pages));
        expect(await page.locator(nextButton).count()).toBe(site === 'html-only' ? 0 : 1);
        expect(new URL(page.url()).search).toBe(traits.pageUrls ? `?page=${pages}` : '');
        const total = page.locator('.sob-v2-table-total');
        expect(await total.count()).toBe(traits.showsTotal ? 1 : 0);
        if (traits.showsTotal) expect(await total.textContent()).toContain(String(CUSTOMERS));
      } finally {
        await context.close();
      }
    },
    WALK_TIMEOUT_MS,
  );

  it.each(SITE_VARIANTS)('%s: shows the empty account as one page with no way forward', async (site) => {
    const page = await signedInPage(sims[site], EMPTY);
    try {
      await page.goto(`${sims[site].appUrl}/customers`);
      await page.waitForFunction(() => document.querySelector('span.sob-v2-TablePage')?.textContent === '1');
      expect(await page.locator(ROWS).count()).toBe(0);
      expect(await nextEnabled(page)).toBe(false);
    } finally {
      await page.context().close();
    }
  });

  it.each(SITE_VARIANTS)('%s: goes to /login when the list endpoint says the session is over', async (site) => {
    const sim = sims[site];
    const page = await signedInPage(sim, DEMO);
    // The list page is the session's one request; the list endpoint is the one too many.
    sim.faults.set({ sessionMaxRequests: 1 }, DEMO.email);
    try {
      await page.goto(`${sim.appUrl}/customers`);
      if (site === 'html-only') await page.click(nextButton);
      await page.waitForURL((url) => url.pathname === '/login');
    } finally {
      sim.faults.clear();
      await page.context().close();
    }
  });
});

/** A tab whose context holds a session opened over HTTP, for tests that are not about the sign-in. */
async function signedInPage(sim: RunningSimulator, account: { email: string; password: string }): Promise<Page> {
  const [name, value] = (await httpLogin(sim, account.email, account.password)).split('=') as [string, string];
  const context = await browser.newContext();
  await context.addCookies([{ name, value, url: sim.appUrl }]);
  return context.newPage();
}
