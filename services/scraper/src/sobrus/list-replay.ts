import { forEachLimited, forEachPageAfterFirst } from '../domain/concurrency.js';
import { CountMismatchError, type CustomerRecord, mergePages, toCustomer } from '../domain/customer-list.js';
import { pageRequest, type TotalsCandidate } from '../domain/learning/find-paging.js';
import { type JsonPrimitive, valueAt } from '../domain/learning/json-tree.js';
import { type ListPage, type ListRecipe, pageCount, RecipeMismatch, readListPage } from '../domain/learning/recipe.js';
import { type SobrusHttp, SobrusRequestError } from '../http/sobrus-http.js';

export interface ReplayOptions {
  concurrency: number;
  /** Answers already fetched with this recipe's request, by page number (the learning's confirmation). */
  fetched?: ReadonlyMap<number, unknown> | undefined;
  signal?: AbortSignal | undefined;
  onPage?: (done: number, total: number) => void;
}

export interface ReplayResult {
  customers: CustomerRecord[];
  siteTotal: number;
  pages: number;
}

interface FetchedPage extends ListPage {
  json: unknown;
}

type Target = { page: number } | { cursor: JsonPrimitive };

/** One page of the list over HTTP, as the page itself asked for it; a RecipeMismatch when it no longer fits. */
export async function fetchListPage(
  http: SobrusHttp,
  recipe: Pick<ListRecipe, 'request' | 'paging' | 'listPath' | 'fields' | 'totals'>,
  target: Target,
  signal?: AbortSignal,
): Promise<FetchedPage> {
  const request = pageRequest(recipe.request, recipe.paging, target);
  let page: FetchedPage | undefined;
  let mismatch: RecipeMismatch | undefined;
  try {
    await http.send(request, {
      signal,
      renewals: 1,
      validate: (response) => {
        let json: unknown;
        try {
          json = JSON.parse(Buffer.from(response.body).toString('utf8'));
        } catch {
          return { code: 'NOT_JSON', message: `${describe(target)} is not JSON` };
        }
        try {
          page = { ...readListPage(recipe, json), json };
          mismatch = undefined;
          return undefined;
        } catch (error) {
          if (!(error instanceof RecipeMismatch)) throw error;
          mismatch = error;
          return { code: error.code, message: `${describe(target)}: ${error.message}` };
        }
      },
    });
  } catch (error) {
    if (mismatch) throw mismatch;
    if (error instanceof SobrusRequestError && /^HTTP_4\d\d$/.test(error.code)) {
      throw new RecipeMismatch('HTTP_STATUS', `${describe(target)}: ${error.message}`);
    }
    if (error instanceof SobrusRequestError && error.code === 'NOT_JSON') {
      throw new RecipeMismatch('NOT_JSON', error.message);
    }
    throw error;
  }
  return page as FetchedPage;
}

const describe = (target: Target) => ('page' in target ? `list page ${target.page}` : 'the next list page');

/**
 * Every customer, by replaying the learned list request over HTTP: page 1 says how many pages there are, the
 * others are fetched concurrently; with a cursor, one after the other; with no announced size, in waves until
 * a short page. Every full page must be full, and the customers must add up to the announced total.
 */
export async function replayList(http: SobrusHttp, recipe: ListRecipe, options: ReplayOptions): Promise<ReplayResult> {
  // The first failure stops the requests still under way: the caller relearns or clicks instead.
  const failed = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, failed.signal]) : failed.signal;
  try {
    return await replay(http, recipe, { ...options, signal });
  } catch (error) {
    failed.abort(error);
    throw error;
  }
}

async function replay(http: SobrusHttp, recipe: ListRecipe, options: ReplayOptions): Promise<ReplayResult> {
  const fetchPage = async (page: number): Promise<FetchedPage> => {
    const json = options.fetched?.get(page);
    if (json === undefined) return fetchListPage(http, recipe, { page }, options.signal);
    return { ...readListPage(recipe, json), json };
  };
  const first = await fetchPage(1);
  const pages = new Map<number, CustomerRecord[]>([[1, first.customers.map(toCustomer)]]);
  const count = pageCount(first, recipe.pageSize);
  const add = (pageNo: number, page: ListPage, expected: number | undefined) => {
    if (expected !== undefined && page.customers.length !== expected) {
      throw new RecipeMismatch(
        'COUNT',
        `list page ${pageNo} has ${page.customers.length} customers, ${expected} expected`,
      );
    }
    if (page.total !== first.total || page.pages !== first.pages) {
      throw new RecipeMismatch('COUNT', `the list size changed between page 1 and page ${pageNo}`);
    }
    pages.set(pageNo, page.customers.map(toCustomer));
  };
  if (recipe.paging.kind === 'cursor') {
    await walkCursor(http, recipe, first, add, options);
  } else if (count !== undefined) {
    const expected = (pageNo: number) =>
      pageNo < count
        ? recipe.pageSize
        : first.total === undefined
          ? undefined
          : first.total - (count - 1) * recipe.pageSize;
    add(1, first, expected(1));
    await forEachPageAfterFirst(count, options, async (pageNo) => {
      add(pageNo, await fetchPage(pageNo), expected(pageNo));
    });
    // A page count alone does not say the last page is the last: a full one must have nothing after it.
    if (first.total === undefined && pages.get(count)?.length === recipe.pageSize) {
      const after = await fetchPage(count + 1).catch((error) => {
        if (error instanceof RecipeMismatch && error.code === 'HTTP_STATUS') return undefined;
        throw error;
      });
      if (after && after.customers.length > 0) {
        throw new RecipeMismatch('COUNT', `the envelope announces ${count} pages, page ${count + 1} has customers`);
      }
    }
  } else {
    await walkInWaves(http, recipe, first, add, options);
  }
  options.signal?.throwIfAborted();
  const collected = new Set([...pages.values()].flat().map((customer) => customer.clientKey)).size;
  const siteTotal = first.total ?? collected;
  try {
    return { customers: mergePages(pages, siteTotal, 'api').customers, siteTotal, pages: pages.size };
  } catch (error) {
    if (error instanceof CountMismatchError) throw new RecipeMismatch('COUNT', error.message);
    throw error;
  }
}

type Add = (pageNo: number, page: ListPage, expected: number | undefined) => void;

/** More pages than any pharmacy's customer list has: a walk past it is a paging rule that does not move. */
const MAX_PAGES = 10_000;

/** No size announced: pages fetched `concurrency` at a time until one comes back short. */
async function walkInWaves(http: SobrusHttp, recipe: ListRecipe, first: FetchedPage, add: Add, options: ReplayOptions) {
  add(1, first, undefined);
  options.onPage?.(1, 1);
  if (first.customers.length < recipe.pageSize) return;
  const keys = new Set(first.customers.map((customer) => customer.id));
  for (let start = 2; ; start += options.concurrency) {
    if (start > MAX_PAGES)
      throw new RecipeMismatch('COUNT', `more than ${MAX_PAGES} list pages: the paging is not what it seems`);
    const wave = Array.from({ length: options.concurrency }, (_, i) => start + i);
    const got = new Map<number, ListPage>();
    await forEachLimited(
      wave,
      options.concurrency,
      async (pageNo) => void got.set(pageNo, await fetchListPage(http, recipe, { page: pageNo }, options.signal)),
      options.signal,
    );
    for (const pageNo of wave) {
      const page = got.get(pageNo) as ListPage;
      // A page with no customer not seen before: the site repeats itself (its last page, or page 1), stop.
      const fresh = page.customers.filter((customer) => !keys.has(customer.id));
      if (page.customers.length > 0 && fresh.length === 0) return;
      for (const customer of fresh) keys.add(customer.id);
      if (page.customers.length > 0) add(pageNo, page, undefined);
      options.onPage?.(pageNo, pageNo);
      if (page.customers.length < recipe.pageSize) return;
    }
  }
}

async function walkCursor(http: SobrusHttp, recipe: ListRecipe, first: FetchedPage, add: Add, options: ReplayOptions) {
  if (recipe.paging.kind !== 'cursor') return;
  const { cursorPath } = recipe.paging;
  add(1, first, undefined);
  let previous = first;
  const seen = new Set<string>();
  for (let pageNo = 2; previous.customers.length >= recipe.pageSize; pageNo++) {
    const cursor = valueAt(previous.json, cursorPath) as JsonPrimitive | undefined;
    if (cursor === undefined || cursor === null || cursor === '' || seen.has(String(cursor))) return;
    seen.add(String(cursor));
    previous = await fetchListPage(http, recipe, { cursor }, options.signal);
    if (previous.customers.length > 0) add(pageNo, previous, undefined);
    options.onPage?.(pageNo, pageNo);
  }
}

/**
 * The first of the envelope's candidate size announcements that the site confirms: the last page it implies
 * holds exactly the customers left over. `{}` (walk until a short page) when none is announced. `fetched` may
 * hold page 1's answer already; the answers fetched on the way are left there (by page number) for the replay.
 */
export async function confirmTotals(
  http: SobrusHttp,
  recipe: Omit<ListRecipe, 'totals'>,
  candidates: TotalsCandidate[],
  signal?: AbortSignal,
  fetched = new Map<number, unknown>(),
): Promise<TotalsCandidate | undefined> {
  // Page 1 as the browser saw it moments ago, when given: the last page's request proves the replay works.
  const known = fetched.get(1);
  const first =
    known === undefined
      ? await fetchListPage(http, { ...recipe, totals: {} }, { page: 1 }, signal)
      : { ...readListPage({ ...recipe, totals: {} }, known), json: known };
  fetched.set(1, first.json);
  const nothingAfter = async (page: number) => {
    const after = await fetchListPage(http, { ...recipe, totals: {} }, { page: page + 1 }, signal).catch((error) => {
      if (error instanceof RecipeMismatch) return undefined;
      throw error;
    });
    return !after || after.customers.length === 0;
  };
  for (const totals of candidates.slice(0, 8)) {
    const candidate = { ...recipe, totals };
    let count: number | undefined;
    let page: ListPage;
    try {
      page = readListPage(candidate, first.json);
      count = pageCount(page, recipe.pageSize);
    } catch {
      continue;
    }
    if (count === undefined) continue;
    if (count === 1) {
      if (page.total === undefined || page.total === page.customers.length) return totals;
      continue;
    }
    // A cursor cannot jump to the last page: only a candidate with no rival is taken unchecked.
    if (recipe.paging.kind === 'cursor') return candidates.length === 1 ? totals : {};
    const last = await fetchListPage(http, candidate, { page: count }, signal).catch((error) => {
      if (error instanceof RecipeMismatch) return undefined;
      throw error;
    });
    if (!last) continue;
    fetched.set(count, last.json);
    const left = page.total === undefined ? undefined : page.total - (count - 1) * recipe.pageSize;
    const fits =
      left === undefined
        ? last.customers.length > 0 && (last.customers.length < recipe.pageSize || (await nothingAfter(count)))
        : last.customers.length === left;
    if (fits) return totals;
  }
  return candidates.length === 0 ? {} : undefined;
}
