import type { BrowserHolder } from '@pharma/browser';
import type { BrowserContext, Page } from 'playwright-core';
import type { ShownRow } from '../domain/learning/find-list.js';
import type { Cookie, SessionSource, SobrusSession } from './session-provider.js';

/** A row click navigates to `/customer/<id>/…`: the id in that URL is the client key. */
export const CUSTOMER_URL = /\/customer\/([^/?#]+)\//;

/** The customer list as Sobrus draws it (the only shape known in advance: the original tool's selectors). */
const S = {
  rows: 'table.sob-v2-table tbody tr',
  currentPage: 'span.sob-v2-TablePage',
  pagination: 'div.sob-v2-table-pagination',
  disabled: 'sob-v2-TablePage__disabled',
  total: '.sob-v2-table-total',
  error: '.sob-v2-table-error',
};

export type ListState = 'rows' | 'empty' | 'error' | 'login';

/** How a walk of the list page opens it, and retries a failed step within its budget. */
export interface ListWalkOptions {
  appUrl: string;
  timeoutMs: number;
  retries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  signal?: AbortSignal | undefined;
}

const toPlaywrightCookies = (cookies: Cookie[]) =>
  cookies.map(({ expires, ...cookie }) => (expires > 0 ? { ...cookie, expires } : cookie));

/** A browser context with the pharmacy's session, where row clicks are caught instead of followed. */
export interface ListBrowser {
  context: BrowserContext;
  page: Page;
  session(): SobrusSession;
  /** The page fell back to the sign-in: a new session, and its cookies in the context. */
  renew(stale: SobrusSession): Promise<void>;
  /** Fetch/XHR answers that failed (status ≥ 400 or no answer) since the page was opened. */
  failures(): number;
  close(): Promise<void>;
}

export async function openListBrowser(
  browsers: BrowserHolder,
  sessions: SessionSource,
  timeoutMs: number,
): Promise<ListBrowser> {
  // Chromium starts (or a crashed one starts again) while the session is fetched.
  const [opened, current] = await Promise.allSettled([browsers.newContext(), sessions.current()]);
  if (opened.status === 'rejected') throw opened.reason;
  const context = opened.value;
  try {
    if (current.status === 'rejected') throw current.reason;
    const firstSession = current.value;
    context.setDefaultTimeout(timeoutMs);
    let session = firstSession;
    await context.addCookies(toPlaywrightCookies(session.cookies));
    // The customer page is never loaded: its address is all we need.
    await context.route(CUSTOMER_URL, (route) => route.fulfill({ status: 204, body: '' }));
    const page = await context.newPage();
    let failures = 0;
    const isApiCall = (type: string) => type === 'fetch' || type === 'xhr';
    page.on('response', (response) => {
      if (response.status() >= 400 && isApiCall(response.request().resourceType())) failures += 1;
    });
    page.on('requestfailed', (request) => {
      if (isApiCall(request.resourceType())) failures += 1;
    });
    return {
      context,
      page,
      session: () => session,
      async renew(stale) {
        session = await sessions.renew(stale);
        await context.clearCookies();
        await context.addCookies(toPlaywrightCookies(session.cookies));
      },
      failures: () => failures,
      close: () => context.close().catch(() => {}),
    };
  } catch (error) {
    await context.close().catch(() => {});
    throw error;
  }
}

/** Opens the customer list (no page URL: always its first page) and waits until it shows rows or nothing. */
export async function loadList(list: ListBrowser, appUrl: string, timeoutMs: number): Promise<ListState> {
  const before = list.failures();
  try {
    await list.page.goto(`${appUrl}/customers`, { waitUntil: 'domcontentloaded' });
  } catch {
    // Still on the blank page: the site did not answer (an outage is not a sign-in).
    return onListPage(list.page) || list.page.url().startsWith('about:') ? 'error' : 'login';
  }
  return waitFor(
    list,
    before,
    timeoutMs,
    async () => {
      const state = await list.page.evaluate(listStateInPage, S).catch(() => 'navigating' as const);
      if (state === 'navigating' || state === 'loading') return undefined;
      return state;
    },
    async () => {
      // Nothing drawn once the page has gone quiet: the list is empty, unless it said it failed.
      await list.page.waitForLoadState('networkidle', { timeout: timeoutMs }).catch(() => {});
      const state = await list.page.evaluate(listStateInPage, S).catch(() => 'loading' as const);
      return state === 'loading' ? (list.failures() > before ? 'error' : 'empty') : (state as ListState);
    },
  );
}

const onListPage = (page: Page) => new URL(page.url()).pathname.startsWith('/customers');

function listStateInPage(s: typeof S): ListState | 'loading' {
  if (!location.pathname.startsWith('/customers')) return 'login';
  const error = document.querySelector(s.error);
  if (error && !error.classList.contains('hidden') && error.getClientRects().length > 0 && error.textContent?.trim()) {
    return 'error';
  }
  return document.querySelectorAll(s.rows).length > 0 ? 'rows' : 'loading';
}

/**
 * Polls `check` until it answers; a failed API call with nothing settled 1 s later is an error; `whenQuiet`
 * decides once the page stops changing (empty list).
 */
async function waitFor<T extends string>(
  list: ListBrowser,
  failuresBefore: number,
  timeoutMs: number,
  check: () => Promise<T | undefined>,
  whenQuiet?: () => Promise<T | 'error'>,
): Promise<T | 'error' | 'login'> {
  const deadline = Date.now() + timeoutMs;
  let failedAt: number | undefined;
  let quiet: Promise<T | 'error'> | undefined;
  let quietResult: T | 'error' | undefined;
  while (Date.now() < deadline) {
    const state = await check();
    if (state !== undefined) return state;
    if (!onListPage(list.page) && !list.page.url().startsWith('about:')) return 'login';
    if (list.failures() > failuresBefore) {
      failedAt ??= Date.now();
      if (Date.now() - failedAt > 1_000) return 'error';
    }
    if (whenQuiet && !quiet) {
      quiet = whenQuiet();
      quiet.then((result) => {
        quietResult = result;
      });
    }
    if (quietResult !== undefined) return quietResult;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return 'error';
}

/** The rows shown: the name (`th > span`), then every cell's text. */
export function readShownRows(page: Page): Promise<ShownRow[]> {
  return page.$$eval(S.rows, (rows) =>
    rows.map((row) => ({
      name: (row.querySelector('th span') ?? row.querySelector('th'))?.textContent?.trim() ?? '',
      cells: Array.from(row.querySelectorAll('td')).map((cell) => cell.textContent?.trim() ?? ''),
    })),
  );
}

/** The number of customers the page prints beside the table, if it prints one. */
export async function readShownTotal(page: Page): Promise<number | undefined> {
  const text = await page.$eval(S.total, (element) => element.textContent ?? '').catch(() => '');
  const digits = text.replace(/[\s\u00a0\u202f]/g, '').match(/\d+/)?.[0];
  return digits === undefined ? undefined : Number(digits);
}

/**
 * Clicks a row and returns the client key its navigation carries (the navigation itself is answered 204). A
 * dispatched click event is tried first (about a third of a full pointer click's cost, hundreds of rows a
 * refresh); a site that ignores it gets a real click.
 */
export async function clickRowForId(page: Page, index: number, timeoutMs: number): Promise<string | undefined> {
  const row = page.locator(S.rows).nth(index);
  return (
    (await navigationId(page, () => row.dispatchEvent('click'), Math.min(timeoutMs, 2_000))) ??
    (await navigationId(page, () => row.click({ timeout: timeoutMs }), timeoutMs))
  );
}

async function navigationId(page: Page, click: () => Promise<void>, timeoutMs: number): Promise<string | undefined> {
  try {
    const [request] = await Promise.all([
      page.waitForRequest((r) => CUSTOMER_URL.test(r.url()) && r.isNavigationRequest(), { timeout: timeoutMs }),
      click(),
    ]);
    const id = CUSTOMER_URL.exec(request.url())?.[1];
    return id === undefined ? undefined : decodeURIComponent(id);
  } catch {
    return undefined;
  }
}

export interface PagerState {
  indicator: string;
  signature: string;
  hasNext: boolean;
}

export function pagerState(page: Page): Promise<PagerState> {
  return page.evaluate((s) => {
    const next = document.querySelector(s.pagination)?.lastElementChild as HTMLButtonElement | null | undefined;
    const isControl = !!next && next.matches('button, a, [role="button"]') && !next.matches(s.currentPage);
    return {
      indicator: document.querySelector(s.currentPage)?.textContent?.trim() ?? '',
      signature: Array.from(document.querySelectorAll(s.rows), (row) => row.textContent ?? '').join('\n'),
      hasNext:
        isControl &&
        !next.classList.contains(s.disabled) &&
        !next.disabled &&
        next.getAttribute('aria-disabled') !== 'true',
    };
  }, S);
}

export type NextOutcome = 'moved' | 'error' | 'login';

/** Clicks "next" and waits until both the current-page indicator (when there is one) and the rows changed. */
export async function clickNext(list: ListBrowser, before: PagerState, timeoutMs: number): Promise<NextOutcome> {
  if (!onListPage(list.page)) return 'login';
  const failures = list.failures();
  try {
    await list.page.locator(S.pagination).locator(':scope > :last-child').click({ timeout: timeoutMs });
  } catch {
    return onListPage(list.page) ? 'error' : 'login';
  }
  return waitFor(list, failures, timeoutMs, async () => {
    const now = await pagerState(list.page).catch(() => undefined);
    if (!now) return undefined;
    const indicatorMoved = before.indicator === '' || now.indicator !== before.indicator;
    return indicatorMoved && now.signature !== before.signature && now.signature !== ''
      ? ('moved' as const)
      : undefined;
  });
}

/** A picture of the list page with every text made invisible: layout and controls, none of the pharmacy's data. */
export async function maskedScreenshot(page: Page): Promise<Buffer | undefined> {
  return page
    .screenshot({
      fullPage: true,
      animations: 'disabled',
      style:
        '*, *::before, *::after { color: transparent !important; text-shadow: none !important; caret-color: transparent !important; } img, svg, canvas, video, iframe { visibility: hidden !important; }',
    })
    .catch(() => undefined);
}
