import type { BrowserHolder } from '@pharma/browser';
import { backoffDelay, sleep } from '@pharma/shared/retry';
import type { Page, Response } from 'playwright-core';
import type { RowClick } from '../domain/learning/find-fields.js';
import { findList, type ShownRow } from '../domain/learning/find-list.js';
import type { CapturedExchange, ListObservation } from '../domain/learning/learn-recipe.js';
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
import { replayableHeaders } from './recipe-store.js';
import type { SessionSource } from './session-provider.js';

/** What one visit of the list page saw, for learning and for the diagnostic bundle. */
export interface ListVisit {
  /** Absent when the list is empty (nothing to learn from), or the visit never got that far. */
  observation?: ListObservation | undefined;
  empty: boolean;
  /** Every JSON answer the page loaded (the learning uses the successful ones). */
  exchanges: CapturedExchange[];
  screenshots: { before?: Buffer | undefined; after?: Buffer | undefined };
  /** Why the visit stopped short, when it did. */
  problem?: string | undefined;
}

/**
 * Opens the customer list with the pharmacy's session and records what the page does: the JSON it loads,
 * the rows it shows, the ids two row clicks navigate to, and the second page after one click on "next".
 * Failed loads are retried with backoff; a fall back to the sign-in renews the session.
 */
export async function visitList(
  browsers: BrowserHolder,
  sessions: SessionSource,
  options: ListWalkOptions,
): Promise<ListVisit> {
  const list = await openListBrowser(browsers, sessions, options.timeoutMs);
  const recorder = recordJson(list.page);
  const visit: ListVisit = { empty: false, exchanges: [], screenshots: {} };
  try {
    for (let attempt = 0; ; attempt++) {
      options.signal?.throwIfAborted();
      recorder.reset();
      const used = list.session();
      const outcome = await observeOnce(list, options, visit, recorder);
      visit.exchanges = await recorder.settled();
      if (outcome === 'done') {
        sessions.confirm(used);
        if (visit.observation) visit.observation.exchanges = visit.exchanges.filter((e) => e.status < 300);
        return visit;
      }
      if (outcome === 'login') {
        await list.renew(used);
        continue;
      }
      if (attempt >= options.retries) return visit;
      const delay = backoffDelay(attempt + 1, {
        baseMs: options.backoffBaseMs,
        maxMs: options.backoffMaxMs,
        jitter: 'full',
      });
      await sleep(delay, options.signal);
    }
  } finally {
    await list.close();
  }
}

async function observeOnce(
  list: ListBrowser,
  options: ListWalkOptions,
  visit: ListVisit,
  recorder: ReturnType<typeof recordJson>,
): Promise<'done' | 'error' | 'login'> {
  const state = await loadList(list, options.appUrl, options.timeoutMs);
  if (state === 'login' || state === 'error') {
    visit.problem = state === 'login' ? 'the list page sent us to the sign-in' : 'the list page did not load';
    return state;
  }
  if (state === 'empty') {
    visit.empty = true;
    return 'done';
  }
  const firstRows = await readShownRows(list.page);
  const shownTotal = await readShownTotal(list.page);
  // Pictures only when the list cannot be found in the page's JSON: they are for the diagnostic bundle.
  const listFound =
    findList(
      (await recorder.settled()).map((exchange) => exchange.json),
      firstRows.map((row) => row.name),
    ) !== undefined;
  if (!listFound) visit.screenshots.before = await maskedScreenshot(list.page);
  const clicks = await clickTwoRows(list.page, firstRows, options.timeoutMs);
  const pager = await pagerState(list.page);
  let secondRows: ShownRow[] | undefined;
  if (pager.hasNext) {
    const moved = await clickNext(list, pager, options.timeoutMs);
    if (moved !== 'moved') {
      visit.problem = moved === 'login' ? 'the sign-in came back after "next"' : '"next" did not show a second page';
      return moved;
    }
    secondRows = await readShownRows(list.page);
    if (!listFound) visit.screenshots.after = await maskedScreenshot(list.page);
  }
  visit.problem = undefined;
  visit.observation = { exchanges: [], firstRows, clicks, secondRows, shownTotal };
  return 'done';
}

/** Two rows whose names are shown once on the page (homonyms make a poor witness), clicked for their ids. */
async function clickTwoRows(page: Page, rows: ShownRow[], timeoutMs: number): Promise<RowClick[]> {
  const count = (name: string) => rows.filter((row) => row.name === name).length;
  const unique = rows.map((row, index) => ({ row, index })).filter(({ row }) => count(row.name) === 1);
  const picked =
    unique.length >= 2
      ? [unique[0], unique[unique.length - 1]]
      : rows.slice(0, 2).map((row, index) => ({ row, index }));
  const clicks: RowClick[] = [];
  for (const pick of picked) {
    if (!pick) continue;
    const id = await clickRowForId(page, pick.index, timeoutMs);
    if (id !== undefined) clicks.push({ row: pick.index, name: pick.row.name, id });
  }
  return clicks;
}

const CAPTURE_TIMEOUT_MS = 5_000;

/** Records every JSON answer to the page's fetch/XHR calls, in the order they arrive. */
function recordJson(page: Page) {
  let pending: Promise<CapturedExchange | undefined>[] = [];
  const capture = async (response: Response): Promise<CapturedExchange | undefined> => {
    const request = response.request();
    if (!['fetch', 'xhr'].includes(request.resourceType())) return undefined;
    if (!/json/i.test(response.headers()['content-type'] ?? '')) return undefined;
    try {
      const [json, headers] = await Promise.all([response.json(), request.allHeaders()]);
      const body = request.postData() ?? undefined;
      return {
        request: {
          method: request.method(),
          url: request.url(),
          headers: replayableHeaders(headers),
          ...(body ? { body } : {}),
        },
        status: response.status(),
        json,
      };
    } catch {
      return undefined;
    }
  };
  page.on('response', (response) => {
    // A JSON stream or a long poll never ends its body: such an answer is left out after a few seconds.
    pending.push(
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve(undefined), CAPTURE_TIMEOUT_MS);
        capture(response).then((exchange) => {
          clearTimeout(timer);
          resolve(exchange);
        });
      }),
    );
  });
  return {
    reset: () => {
      pending = [];
    },
    settled: async () =>
      (await Promise.all(pending)).filter((exchange): exchange is CapturedExchange => exchange !== undefined),
  };
}
