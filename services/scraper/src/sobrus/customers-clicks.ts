import { backoffDelay, sleep } from '../domain/backoff.js';
import { type CustomerRecord, mergePages, toCustomer } from '../domain/customer-list.js';
import type { BrowserHolder } from './browser-holder.js';
import {
  clickNext,
  clickRowForId,
  type ListBrowser,
  loadList,
  maskedScreenshot,
  openListBrowser,
  type PagerState,
  pagerState,
  readShownRows,
  readShownTotal,
} from './list-page.js';
import type { SessionSource, SobrusSession } from './session-provider.js';

export interface ClickWalkOptions {
  appUrl: string;
  timeoutMs: number;
  retries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  signal?: AbortSignal | undefined;
  onPage?: (done: number, total: number) => void;
}

export interface ClickWalkResult {
  customers: CustomerRecord[];
  siteTotal: number;
  pages: number;
  screenshots: { before?: Buffer | undefined; after?: Buffer | undefined };
}

/**
 * The fallback that needs no API and no page URL: the list opened once, each row clicked for its key (the
 * navigation is caught), then "next" clicked until it is disabled or gone. A fall back to the sign-in renews
 * the session, reopens the list and clicks back to the page it was on.
 */
export async function collectCustomersByClicks(
  browsers: BrowserHolder,
  sessions: SessionSource,
  options: ClickWalkOptions,
): Promise<ClickWalkResult> {
  const list = await openListBrowser(browsers, sessions, options.timeoutMs);
  const screenshots: ClickWalkResult['screenshots'] = {};
  try {
    const retry = retrier(options);
    let shownTotal: number | undefined;
    const open = async (): Promise<boolean> => {
      for (;;) {
        const used = list.session();
        const state = await loadList(list, options.appUrl, options.timeoutMs);
        if (state === 'rows' || state === 'empty') {
          sessions.confirm(used);
          retry.succeeded();
          return state === 'rows';
        }
        if (state === 'login') await list.renew(used);
        else await retry('the customer list did not load');
      }
    };
    const hasRows = await open();
    screenshots.before = await maskedScreenshot(list.page);
    shownTotal = await readShownTotal(list.page);
    const pages = new Map<number, CustomerRecord[]>();
    for (let pageNo = 1; hasRows; pageNo++) {
      pages.set(pageNo, await readPage(list, pageNo, options.timeoutMs));
      const perPage = pages.get(1)?.length ?? 1;
      options.onPage?.(pageNo, shownTotal === undefined ? pageNo : Math.max(pageNo, Math.ceil(shownTotal / perPage)));
      const pager = await pagerState(list.page);
      if (!pager.hasNext) break;
      await advance(list, pageNo, pager, options, retry, open, (session) => sessions.confirm(session));
      if (pageNo === 1) screenshots.after = await maskedScreenshot(list.page);
    }
    options.signal?.throwIfAborted();
    const collected = new Set([...pages.values()].flat().map((customer) => customer.clientKey)).size;
    const siteTotal = shownTotal ?? collected;
    return { customers: mergePages(pages, siteTotal, 'click').customers, siteTotal, pages: pages.size, screenshots };
  } finally {
    await list.close();
  }
}

async function readPage(list: ListBrowser, pageNo: number, timeoutMs: number): Promise<CustomerRecord[]> {
  const rows = await readShownRows(list.page);
  const customers: CustomerRecord[] = [];
  for (const [index, row] of rows.entries()) {
    const id = (await clickRowForId(list.page, index, timeoutMs)) ?? (await clickRowForId(list.page, index, timeoutMs));
    if (id === undefined)
      throw new Error(
        `row ${index + 1} of list page ${pageNo} (${row.cells.length + 1} cells) led nowhere when clicked`,
      );
    const [email, phone, organisme, immatriculation] = row.cells;
    customers.push(toCustomer({ id, name: row.name, email, phone, organisme, immatriculation }));
  }
  return customers;
}

const MAX_SIGN_INS_PER_PAGE = 3;

/** From page `pageNo` to the next one; after a sign-in, back to `pageNo` first by clicking from page 1. */
async function advance(
  list: ListBrowser,
  pageNo: number,
  pager: PagerState,
  options: ClickWalkOptions,
  retry: Retry,
  open: () => Promise<boolean>,
  confirm: (session: SobrusSession) => void,
): Promise<void> {
  let before = pager;
  let signIns = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    const used = list.session();
    const outcome = await clickNext(list, before, options.timeoutMs);
    if (outcome === 'moved') {
      confirm(used);
      retry.succeeded();
      return;
    }
    if (outcome === 'login') {
      // Clicking back to a page costs requests: a session too short-lived for that would loop for ever.
      if (++signIns > MAX_SIGN_INS_PER_PAGE) {
        throw new Error(`the Sobrus session ended ${signIns} times before list page ${pageNo + 1} could be reached`);
      }
      await list.renew(used);
    } else await retry(`"next" on list page ${pageNo} did not show the following page`);
    if (outcome === 'login' || !(await pagerState(list.page).catch(() => undefined))?.hasNext) {
      await open();
      for (let at = 1; at < pageNo; ) {
        const now = await pagerState(list.page);
        if ((await clickNext(list, now, options.timeoutMs)) === 'moved') at += 1;
        else await retry(`could not click back to list page ${pageNo}`);
      }
    }
    before = await pagerState(list.page);
  }
}

/** Backoff between failed steps, within the request retry budget; a step that succeeds starts it again. */
function retrier(options: ClickWalkOptions) {
  let attempt = 0;
  const retry = async (why: string) => {
    if (attempt >= options.retries) throw new Error(`${why} after ${attempt} retries`);
    await sleep(backoffDelay(attempt, options.backoffBaseMs, options.backoffMaxMs), options.signal);
    attempt += 1;
  };
  return Object.assign(retry, {
    succeeded: () => {
      attempt = 0;
    },
  });
}

type Retry = ReturnType<typeof retrier>;
