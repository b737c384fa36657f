import { testChromiumOptions } from '@pharma/testkit';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator, WRONG_CREDENTIALS } from '../../src/index.js';
import { DEMO, extractStatement, statementUrl, TEST_TODAY } from '../helpers.js';

let sim: RunningSimulator;
let browser: Browser;

beforeAll(async () => {
  sim = await startSimulator({ seed: 'browser-test', today: TEST_TODAY });
  browser = await chromium.launch(testChromiumOptions());
});
afterAll(async () => {
  await browser?.close();
  await sim?.close();
});

/** The original tool's steps, selector for selector. */
async function signIn(page: Page, login: string, password: string): Promise<void> {
  await page.goto(sim.appUrl);
  await page.click(`button[data-testid="s'identifier"]`);
  await page.waitForURL((url) => url.origin === sim.accountsUrl);
  await page.fill('input[name=login]', login);
  await page.click('button.btn-signup');
  await page.fill('input[name=password]', password);
  await page.click('button.btn-signup');
}

/** Runs `use` in a tab of a fresh browser context, closed afterwards. */
async function inNewContext(use: (page: Page, context: BrowserContext) => Promise<void>): Promise<void> {
  const context = await browser.newContext();
  try {
    await use(await context.newPage(), context);
  } finally {
    await context.close();
  }
}

describe('the app in a real browser', () => {
  it('logs in, pages through the customers, opens one by click and downloads its statement with the cookies', () =>
    inNewContext(async (page, context) => {
      await signIn(page, DEMO.email, DEMO.password);
      await page.waitForURL((url) => url.origin === sim.appUrl);

      await page.goto(`${sim.appUrl}/customers`);
      await page.waitForSelector('table.sob-v2-table tbody tr');
      const truth = sim.truth.customers(DEMO.email);
      const pagination = page.locator('div.sob-v2-table-pagination');
      const prev = pagination.locator('button.sob-v2-TablePage__btn').first();
      const next = pagination.locator('button.sob-v2-TablePage__btn').last();
      const readRows = () =>
        page.$$eval('table.sob-v2-table tbody tr', (rows) =>
          rows.map((row) => [
            row.querySelector('th > span')?.textContent,
            ...[...row.querySelectorAll('td')].map((td) => td.textContent),
          ]),
        );

      const seen: (string | null | undefined)[][] = [];
      for (let pageNumber = 1; ; pageNumber++) {
        await expectText(page.locator('span.sob-v2-TablePage'), String(pageNumber));
        seen.push(...(await readRows()));
        expect(await hasClass(prev, 'sob-v2-TablePage__disabled')).toBe(pageNumber === 1);
        if (await hasClass(next, 'sob-v2-TablePage__disabled')) break;
        await next.click();
      }
      expect(seen).toHaveLength(259);
      expect(seen).toEqual(
        truth.map((c) => [c.name, c.email ?? '', c.phone ?? '', c.organisme ?? '', c.immatriculation ?? '']),
      );
      expect(await page.textContent('span.sob-v2-TablePage')).toBe('13');

      // Rows have no link: the id is only learnt by clicking.
      expect(await page.locator('table.sob-v2-table tbody a[href]').count()).toBe(0);
      await page.locator('table.sob-v2-table tbody tr').nth(4).click();
      await page.waitForURL(/\/customer\/\d+\/details$/);
      const clicked = truth[240 + 4]!;
      expect(new URL(page.url()).pathname).toBe(`/customer/${clicked.clientKey}/details`);
      expect(await page.textContent('h1.customer-name')).toBe(clicked.name);

      const cookieHeader = (await context.cookies(sim.apiUrl)).map((c) => `${c.name}=${c.value}`).join('; ');
      const query = { customerId: clicked.clientKey, startDate: '2017-01-01', endDate: TEST_TODAY };
      const response = await fetch(statementUrl(sim, query), { headers: { cookie: cookieHeader } });
      expect(response.status).toBe(200);
      const printed = await extractStatement(new Uint8Array(await response.arrayBuffer()));
      const expected = await sim.truth.statement({ account: DEMO.email, ...query });
      expect(printed.closing).toBe(expected.closingBalance);
    }));

  it('shows the error a user sees on a wrong password and stays on the sign-in page', () =>
    inNewContext(async (page, context) => {
      await signIn(page, DEMO.email, 'not-the-password');
      await expectText(page.locator('.alert-danger'), WRONG_CREDENTIALS);
      expect(new URL(page.url()).origin).toBe(sim.accountsUrl);
      expect(await context.cookies(sim.appUrl)).toEqual([]);
    }));

  it('sends an anonymous visitor of /customers to the login page', () =>
    inNewContext(async (page) => {
      await page.goto(`${sim.appUrl}/customers`);
      expect(new URL(page.url()).pathname).toBe('/login');
      expect(await page.locator(`button[data-testid="s'identifier"]`).count()).toBe(1);
    }));
});

async function hasClass(locator: Locator, name: string): Promise<boolean> {
  return locator.evaluate((element, className) => element.classList.contains(className), name);
}

async function expectText(locator: Locator, text: string): Promise<void> {
  await locator
    .page()
    .waitForFunction(([element, expected]) => element?.textContent?.trim() === expected, [
      await locator.elementHandle(),
      text,
    ] as const);
}
