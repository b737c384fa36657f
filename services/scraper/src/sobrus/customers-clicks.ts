import type { BrowserHolder } from '@pharma/browser';
import { backoffDelay, sleep } from '@pharma/shared/retry';
import { type CustomerRecord, mergePages, toCustomer } from '../domain/customer-list.js';
import {
  clickNext,
  clickRowForId,
  type ListBrowser,
  type ListWalkOptions,
  loadList,
  maskedScreenshot,
  openListBrowser,
  pagerState,
  readShownRows,
  readShownTotal,
} from './list-page.js';
import type { SessionSource, SobrusSession } from './session-provider.js';

export interface ClickWalkOptions extends ListWalkOptions {
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
    const pager = new Pager(list, sessions, options);
    const hasRows = await pager.open();
    screenshots.before = await maskedScreenshot(list.page);
    const shownTotal = await readShownTotal(list.page);
    const pages = new Map<number, CustomerRecord[]>();
    for (let pageNo = 1; hasRows; pageNo++) {
      pages.set(pageNo, await readPage(list, pageNo, options.timeoutMs));
      const perPage = pages.get(1)?.length ?? 1;
      options.onPage?.(pageNo, shownTotal === undefined ? pageNo : Math.max(pageNo, Math.ceil(shownTotal / perPage)));
      if (!(await pagerState(list.page)).hasNext) break;
      await pager.forward(pageNo);
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

/** Sign-ins in a row while getting to one page: clicking back costs requests, a too short session would loop. */
const MAX_SIGN_INS = 3;

/**
 * Moves through the list by its controls only. A failed load or click is retried with backoff; a fall back to
 * the sign-in renews the session, reopens the list and clicks back to the page it was on.
 */
class Pager {
  private signIns = 0;
  private attempt = 0;

  constructor(
    private readonly list: ListBrowser,
    private readonly sessions: SessionSource,
    private readonly options: ClickWalkOptions,
  ) {}

  /** The list's first page; false when it is empty. */
  async open(): Promise<boolean> {
    for (;;) {
      this.options.signal?.throwIfAborted();
      const used = this.list.session();
      const state = await loadList(this.list, this.options.appUrl, this.options.timeoutMs);
      if (state === 'rows' || state === 'empty') {
        this.succeeded(used);
        return state === 'rows';
      }
      if (state === 'login') await this.signIn(used, 'the customer list');
      else await this.backoff('the customer list did not load');
    }
  }

  /** From page `pageNo` to the next one. */
  async forward(pageNo: number): Promise<void> {
    for (;;) {
      const used = this.list.session();
      const before = await pagerState(this.list.page).catch(() => undefined);
      let outcome = await this.clickNext();
      // Some other call of the page failed, or the page was slow: if it did move, it moved (never click twice).
      const now = outcome === 'error' ? await pagerState(this.list.page).catch(() => undefined) : undefined;
      if (before && now && now.signature !== before.signature && now.signature !== '') outcome = 'moved';
      if (outcome === 'moved') {
        this.succeeded(used);
        this.signIns = 0;
        return;
      }
      if (outcome === 'login') await this.signIn(used, `list page ${pageNo + 1}`);
      else {
        await this.backoff(`"next" on list page ${pageNo} did not show the following page`);
        if ((await pagerState(this.list.page).catch(() => undefined))?.hasNext) continue;
      }
      await this.reach(pageNo);
    }
  }

  /** Back on page `target` from a reopened list, by clicking "next". */
  private async reach(target: number): Promise<void> {
    await this.open();
    for (let at = 1; at < target; ) {
      const used = this.list.session();
      const outcome = await this.clickNext();
      if (outcome === 'moved') {
        this.succeeded(used);
        at += 1;
      } else if (outcome === 'login') {
        await this.signIn(used, `list page ${target}`);
        await this.open();
        at = 1;
      } else await this.backoff(`could not click back to list page ${target}`);
    }
  }

  private async clickNext() {
    this.options.signal?.throwIfAborted();
    const before = await pagerState(this.list.page).catch(() => undefined);
    return before ? clickNext(this.list, before, this.options.timeoutMs) : 'login';
  }

  private succeeded(session: SobrusSession) {
    this.sessions.confirm(session);
    this.attempt = 0;
  }

  private async signIn(stale: SobrusSession, where: string) {
    if (++this.signIns > MAX_SIGN_INS) {
      throw new Error(`the Sobrus session ended ${MAX_SIGN_INS} times in a row before ${where} could be reached`);
    }
    await this.list.renew(stale);
  }

  /** Backoff between failed steps, within the request retry budget; a step that succeeds starts it again. */
  private async backoff(why: string) {
    if (this.attempt >= this.options.retries) throw new Error(`${why} after ${this.attempt} retries`);
    const { backoffBaseMs: baseMs, backoffMaxMs: maxMs, signal } = this.options;
    await sleep(backoffDelay(this.attempt + 1, { baseMs, maxMs, jitter: 'full' }), signal);
    this.attempt += 1;
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
