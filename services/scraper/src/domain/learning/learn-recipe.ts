import { findColumnPaths, findKeyPath, type RowClick } from './find-fields.js';
import { findList, type ShownRow } from './find-list.js';
import { findPaging, findTotals, type PagingRule, type TotalsCandidate } from './find-paging.js';
import { pathKey } from './json-tree.js';
import { COLUMN_FIELDS, type ListRecipe, type ListRequest, RECIPE_VERSION } from './recipe.js';

/** A JSON answer the list page loaded, with the request that asked for it. */
export interface CapturedExchange {
  request: ListRequest;
  status: number;
  json: unknown;
}

/** What the browser saw on the list page: its JSON traffic, the rows of pages 1 and 2, two row clicks. */
export interface ListObservation {
  exchanges: CapturedExchange[];
  firstRows: ShownRow[];
  clicks: RowClick[];
  /** Rows after one click on "next"; absent when there is no second page. */
  secondRows?: ShownRow[] | undefined;
  /** The count the page prints, when it prints one. */
  shownTotal?: number | undefined;
}

export type LearnStep = 'list' | 'key' | 'paging' | 'totals';

/** A recipe before its size announcement is confirmed against the site (see `confirmTotals`). */
export interface RecipeDraft extends Omit<ListRecipe, 'totals' | 'paging'> {
  paging?: PagingRule | undefined;
  totalsCandidates: TotalsCandidate[];
}

export type LearnOutcome =
  | { ok: true; draft: RecipeDraft }
  | { ok: false; step: LearnStep; reason: string; partial: Partial<RecipeDraft> };

/**
 * Learns the list from what the page did: the list is the JSON array that carries the shown names, the key
 * the field equal to the clicked rows' ids, the page parameter what changed between the requests for pages 1
 * and 2, and the size the envelope numbers that fit both pages.
 */
export function learnRecipe(seen: ListObservation, now = new Date()): LearnOutcome {
  const jsons = seen.exchanges.map((exchange) => exchange.json);
  const first = findList(
    jsons,
    seen.firstRows.map((row) => row.name),
  );
  if (!first) {
    return fail(
      'list',
      `no JSON answer of the ${seen.exchanges.length} the page loaded holds the ${seen.firstRows.length} names shown`,
      {},
    );
  }
  const firstExchange = seen.exchanges[first.response] as CapturedExchange;
  const partial: Partial<RecipeDraft> = { request: firstExchange.request, listPath: first.listPath };
  const key = findKeyPath(first.items, first.namePath, seen.clicks);
  if (!key || (seen.firstRows.length >= 2 && seen.clicks.length < 2)) {
    return fail('key', `no item field equals the id of every clicked row (${seen.clicks.length} clicked)`, partial);
  }
  const fields: ListRecipe['fields'] = { key, name: first.namePath };
  findColumnPaths(first.items, first.namePath, seen.firstRows).forEach((path, column) => {
    const field = COLUMN_FIELDS[column];
    if (path && field) fields[field] = path;
  });
  partial.fields = fields;
  const base = { version: RECIPE_VERSION, request: firstExchange.request, listPath: first.listPath, fields } as const;
  if (!seen.secondRows) {
    const totalsCandidates = findTotals(
      [{ response: firstExchange.json, count: first.items.length }],
      first.listPath,
      seen.shownTotal,
    );
    return {
      ok: true,
      draft: { ...base, pageSize: first.items.length, totalsCandidates, learnedAt: now.toISOString() },
    };
  }
  const later = jsons.slice(first.response + 1);
  const second = findList(
    later,
    seen.secondRows.map((row) => row.name),
  );
  if (!second || pathKey(second.listPath) !== pathKey(first.listPath)) {
    return fail('paging', 'no JSON answer after "next" holds the second page at the same place', partial);
  }
  const secondExchange = seen.exchanges[first.response + 1 + second.response] as CapturedExchange;
  const paging = findPaging(firstExchange.request, secondExchange.request, {
    size: first.items.length,
    response: firstExchange.json,
    listPath: first.listPath,
  });
  if (
    !paging ||
    (new URL(firstExchange.request.url).pathname !== new URL(secondExchange.request.url).pathname &&
      paging.param.in !== 'path')
  ) {
    return fail(
      'paging',
      'nothing in the second request moves by one page, by one page of items, or carries a cursor',
      partial,
    );
  }
  partial.paging = paging;
  const totalsCandidates = findTotals(
    [
      { response: firstExchange.json, count: first.items.length },
      { response: secondExchange.json, count: second.items.length },
    ],
    first.listPath,
    seen.shownTotal,
  );
  if (totalsCandidates.length === 0 && paging.kind === 'number' && seen.shownTotal !== undefined) {
    return fail('totals', `the page shows ${seen.shownTotal} customers, no envelope number says so`, partial);
  }
  return {
    ok: true,
    draft: { ...base, paging, pageSize: first.items.length, totalsCandidates, learnedAt: now.toISOString() },
  };
}

function fail(step: LearnStep, reason: string, partial: Partial<RecipeDraft>): LearnOutcome {
  return { ok: false, step, reason, partial };
}
