import type { BrowserContext, Page } from 'playwright-core';
import { backoffDelay, sleep } from '../domain/backoff.js';
import { CountMismatchError, type CustomerRecord, mergePages, toCustomer } from '../domain/customer-list.js';
import type { BrowserHolder } from './browser-holder.js';
import type { Cookie, SessionSource, SobrusSession } from './session-provider.js';

/** A row click navigates to `/customer/<id>/…`: the id in that URL is the client key. */
const CUSTOMER_URL = /\/customer\/([^/?#]+)\//;

const SELECTORS = {
  rows: 'table.sob-v2-table tbody tr',
  currentPage: 'span.sob-v2-TablePage',
  pagination: 'div.sob-v2-table-pagination',
  disabled: 'sob-v2-TablePage__disabled',
  total: '.sob-v2-table-total',
  error: '.sob-v2-table-error',
};

export interface DomOptions {
  appUrl: string;
  tabs: number;
  timeoutMs: number;
  retries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  signal?: AbortSignal | undefined;
  onPage?: (done: number, total: number) => void;
}

interface PageRead {
  customers: CustomerRecord[];
  /** Count printed by the list, when it prints one. */
  total: number | undefined;
  isLast: boolean;
}

const toPlaywrightCookies = (cookies: Cookie[]) =>
  cookies.map(({ expires, ...cookie }) => (expires > 0 ? { ...cookie, expires } : cookie));

/**
 * The DOM path, used when the JSON path fails: list pages opened by URL in a few tabs, each row clicked and
 * the customer page's address read from the navigation (answered "204 No Content", so the list stays put).
 */
export async function collectCustomersByDom(
  browsers: BrowserHolder,
  sessions: SessionSource,
  options: DomOptions,
): Promise<{ customers: CustomerRecord[]; siteTotal: number; pages: number }> {
  const browser = await browsers.get();
  const context = await browser.newContext();
  try {
    context.setDefaultTimeout(options.timeoutMs);
    let session = await sessions.current();
    await context.addCookies(toPlaywrightCookies(session.cookies));
    await context.route(CUSTOMER_URL, (route) => route.fulfill({ status: 204, body: '' }));

    const renew = async (stale: SobrusSession) => {
      session = await sessions.renew(stale);
      await context.clearCookies();
      await context.addCookies(toPlaywrightCookies(session.cookies));
    };
    const read = async (tab: Page, pageNo: number) => {
      const result = await readListPage(tab, pageNo, options, () => session, renew);
      sessions.confirm(session);
      return result;
    };

    const firstTab = await context.newPage();
    const first = await read(firstTab, 1);
    const pages = new Map<number, CustomerRecord[]>([[1, first.customers]]);
    if (first.total !== undefined && first.customers.length > 0) {
      const pageCount = Math.max(1, Math.ceil(first.total / first.customers.length));
      options.onPage?.(1, pageCount);
      await readPagesInTabs(context, firstTab, pageCount, options, read, pages);
      const { customers } = mergePages(pages, first.total, 'dom');
      return { customers, siteTotal: first.total, pages: pageCount };
    }
    // No printed total: walk the pages with their URLs until the "next" button is disabled.
    let pageNo = 1;
    let last = first;
    while (!last.isLast) {
      options.signal?.throwIfAborted();
      pageNo += 1;
      last = await read(firstTab, pageNo);
      pages.set(pageNo, last.customers);
      options.onPage?.(pageNo, pageNo);
    }
    const collected = new Set([...pages.values()].flat().map((c) => c.clientKey)).size;
    const { customers } = mergePages(pages, collected, 'dom');
    return { customers, siteTotal: collected, pages: pageNo };
  } finally {
    await context.close().catch(() => {});
  }
}

async function readPagesInTabs(
  context: BrowserContext,
  firstTab: Page,
  pageCount: number,
  options: DomOptions,
  read: (tab: Page, pageNo: number) => Promise<PageRead>,
  pages: Map<number, CustomerRecord[]>,
): Promise<void> {
  let next = 2;
  let done = 1;
  const worker = async (tab: Page) => {
    while (next <= pageCount) {
      options.signal?.throwIfAborted();
      const pageNo = next++;
      const result = await read(tab, pageNo);
      if (pageNo === pageCount && !result.isLast) {
        throw new CountMismatchError(pageCount, pageNo, 'dom (more pages than the total announces)');
      }
      pages.set(pageNo, result.customers);
      options.onPage?.(++done, pageCount);
    }
  };
  const tabs = [firstTab];
  for (let i = 1; i < Math.min(options.tabs, pageCount - 1); i++) tabs.push(await context.newPage());
  await Promise.all(tabs.map(worker));
}

type Outcome = 'ready' | 'error' | 'login';

async function readListPage(
  tab: Page,
  pageNo: number,
  options: DomOptions,
  session: () => SobrusSession,
  renew: (stale: SobrusSession) => Promise<void>,
): Promise<PageRead> {
  for (let attempt = 0; ; attempt++) {
    options.signal?.throwIfAborted();
    const used = session();
    let outcome: Outcome;
    try {
      await tab.goto(`${options.appUrl}/customers?page=${pageNo}`, { waitUntil: 'domcontentloaded' });
      outcome = await waitForList(tab, pageNo);
    } catch {
      outcome = new URL(tab.url()).pathname.startsWith('/customers') ? 'error' : 'login';
    }
    if (outcome === 'ready') return readRows(tab);
    if (outcome === 'login') {
      await renew(used);
      continue;
    }
    if (attempt >= options.retries) throw new Error(`list page ${pageNo} did not load after ${attempt} retries`);
    await sleep(backoffDelay(attempt, options.backoffBaseMs, options.backoffMaxMs), options.signal);
  }
}

async function waitForList(tab: Page, pageNo: number): Promise<Outcome> {
  const handle = await tab.waitForFunction(
    ({ pageNo, s }) => {
      if (!location.pathname.startsWith('/customers')) return 'login';
      const error = document.querySelector(s.error);
      if (error && !error.classList.contains('hidden') && (error.textContent ?? '').trim()) return 'error';
      const current = document.querySelector(s.currentPage)?.textContent?.trim();
      return current === String(pageNo) ? 'ready' : false;
    },
    { pageNo, s: SELECTORS },
    { polling: 50 },
  );
  return (await handle.jsonValue()) as Outcome;
}

async function readRows(tab: Page): Promise<PageRead> {
  const customers: CustomerRecord[] = [];
  const rows = await tab.$$(SELECTORS.rows);
  for (const row of rows) {
    const [name = '', email, phone, organisme, immatriculation] = await row.evaluate((tr) => [
      tr.querySelector('th span')?.textContent ?? '',
      ...Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? ''),
    ]);
    const [request] = await Promise.all([
      tab.waitForRequest((r) => CUSTOMER_URL.test(r.url()) && r.isNavigationRequest()),
      row.click(),
    ]);
    const id = decodeURIComponent(CUSTOMER_URL.exec(request.url())?.[1] ?? '');
    customers.push(toCustomer({ id, name, email, phone, organisme, immatriculation }));
  }
  const { total, isLast } = await tab.evaluate((s) => {
    const digits = document.querySelector(s.total)?.textContent?.match(/\d+/)?.[0];
    const next = document.querySelector(s.pagination)?.lastElementChild;
    return {
      total: digits === undefined ? null : Number(digits),
      isLast: next?.classList.contains(s.disabled) ?? true,
    };
  }, SELECTORS);
  return { customers, total: total ?? undefined, isLast };
}
