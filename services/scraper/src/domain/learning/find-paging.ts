import { type JsonPath, type JsonPrimitive, leavesOf, pathKey, valueAt, withValueAt } from './json-tree.js';

/** A request as the page sent it (headers apart). */
export interface RequestShape {
  method: string;
  url: string;
  body?: string | undefined;
}

/** Where a request parameter lives. */
export type ParamRef =
  | { in: 'query'; name: string }
  | { in: 'path'; index: number }
  | { in: 'json'; path: JsonPath }
  | { in: 'form'; name: string };

/**
 * How the request for page n is made from page 1's: a number `first + (n - 1) · step` (a page index from 0 or
 * 1, or an offset), or a cursor the previous answer hands out.
 */
export type PagingRule =
  | { kind: 'number'; param: ParamRef; first: number; step: number }
  | { kind: 'cursor'; param: ParamRef; cursorPath: JsonPath };

interface Param {
  ref: ParamRef;
  value: JsonPrimitive;
}

function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Every parameter of a request: query, path segments, and the leaves of a JSON or form body. */
export function requestParams(request: RequestShape): Map<string, Param> {
  const params = new Map<string, Param>();
  const url = new URL(request.url);
  for (const [name, value] of url.searchParams)
    if (!params.has(`q:${name}`)) params.set(`q:${name}`, { ref: { in: 'query', name }, value });
  url.pathname.split('/').forEach((segment, index) => {
    if (segment) params.set(`p:${index}`, { ref: { in: 'path', index }, value: decodeURIComponent(segment) });
  });
  const json = parseJson(request.body);
  if (json !== undefined && typeof json === 'object') {
    for (const [path, value] of leavesOf(json)) params.set(`j:${pathKey(path)}`, { ref: { in: 'json', path }, value });
  } else if (request.body) {
    for (const [name, value] of new URLSearchParams(request.body))
      params.set(`f:${name}`, { ref: { in: 'form', name }, value });
  }
  return params;
}

const asInteger = (value: JsonPrimitive | undefined) =>
  typeof value === 'number' && Number.isInteger(value)
    ? value
    : typeof value === 'string' && /^\d{1,15}$/.test(value)
      ? Number(value)
      : undefined;

/**
 * The page parameter, from the requests for page 1 and page 2 (the second made by clicking "next"): the one
 * that moved by 1 (a page index) or by the first page's size (an offset), or that carries a value the first
 * answer handed out outside its list (a cursor). Other parameters that moved (cache busters) are ignored.
 */
export function findPaging(
  first: RequestShape,
  second: RequestShape,
  firstPage: { size: number; response: unknown; listPath: JsonPath },
): PagingRule | undefined {
  const before = requestParams(first);
  const after = requestParams(second);
  const moved = [...after].filter(([key, param]) => before.get(key)?.value !== param.value);
  // An offset (moved by a page of items) is told apart first: counters that move by 1 with every request
  // (DataTables' `draw`, jQuery's `_` cache buster) would otherwise pass for a page index.
  const numbers = moved.flatMap(([key, param]) => {
    const to = asInteger(param.value);
    if (to === undefined) return [];
    const from = asInteger(before.get(key)?.value);
    return [{ param, to, start: from ?? (to === 1 || to === firstPage.size ? 0 : 1) }];
  });
  const offset = numbers.find(({ to, start }) => firstPage.size > 1 && to - start === firstPage.size);
  if (offset) return { kind: 'number', param: offset.param.ref, first: offset.start, step: firstPage.size };
  const index = numbers.find(({ to, start }) => to - start === 1);
  if (index) return { kind: 'number', param: index.param.ref, first: index.start, step: 1 };
  for (const [, param] of moved) {
    if (param.value === null || param.value === '') continue;
    for (const [path, value] of leavesOf(firstPage.response, { skip: firstPage.listPath })) {
      if (value !== null && String(value) === String(param.value)) {
        return { kind: 'cursor', param: param.ref, cursorPath: path };
      }
    }
  }
  return undefined;
}

/** The request for one page: page 1's request with the page parameter set (the first page is sent as it was). */
export function pageRequest<R extends RequestShape>(
  firstRequest: R,
  rule: PagingRule,
  target: { page: number } | { cursor: JsonPrimitive },
): R {
  if ('page' in target && target.page === 1) return firstRequest;
  const value =
    'page' in target
      ? rule.kind === 'number'
        ? rule.first + (target.page - 1) * rule.step
        : undefined
      : target.cursor;
  if (value === undefined) throw new Error('a cursor rule cannot jump to a page');
  return setParam(firstRequest, rule.param, value);
}

function setParam<R extends RequestShape>(request: R, ref: ParamRef, value: JsonPrimitive): R {
  const url = new URL(request.url);
  switch (ref.in) {
    case 'query':
      url.searchParams.set(ref.name, String(value));
      return { ...request, url: url.toString() };
    case 'path': {
      const segments = url.pathname.split('/');
      segments[ref.index] = encodeURIComponent(String(value));
      url.pathname = segments.join('/');
      return { ...request, url: url.toString() };
    }
    case 'json': {
      const body = parseJson(request.body);
      const old = valueAt(body, ref.path);
      const typed = typeof old === 'string' ? String(value) : value;
      return { ...request, body: JSON.stringify(withValueAt(body, ref.path, typed)) };
    }
    case 'form': {
      const form = new URLSearchParams(request.body);
      form.set(ref.name, String(value));
      return { ...request, body: form.toString() };
    }
  }
}

/** Where the envelope may announce the list's size: the total count, the page count, or both. */
export interface TotalsCandidate {
  totalPath?: JsonPath;
  pagesPath?: JsonPath;
}

/**
 * Envelope numbers that can be the total or the page count, best first: a total and a page count that agree
 * (pages = ⌈total / size⌉), then a total alone (the one the page shows, if it shows one), then a page count
 * alone. Both answers must carry the same value, and the numbers must fit the two pages seen. The caller
 * confirms a candidate against the last page before trusting it.
 */
export function findTotals(
  pages: { response: unknown; count: number }[],
  listPath: JsonPath,
  shownTotal?: number,
): TotalsCandidate[] {
  const [firstPage, secondPage] = pages;
  if (!firstPage) return [];
  const size = firstPage.count;
  const numbers = (response: unknown) => {
    const found = new Map<string, { path: JsonPath; value: number }>();
    for (const [path, value] of leavesOf(response, { skip: listPath, intoArrays: false })) {
      const number = asInteger(value);
      if (number !== undefined) found.set(pathKey(path), { path, value: number });
    }
    return found;
  };
  const first = numbers(firstPage.response);
  const second = secondPage ? numbers(secondPage.response) : undefined;
  const stable = [...first.values()].filter(({ path, value }) => !second || second.get(pathKey(path))?.value === value);
  const seen = size + (secondPage?.count ?? 0);
  const totals = stable.filter(({ value }) =>
    shownTotal !== undefined ? value === shownTotal : secondPage ? value >= seen : value === size,
  );
  const pageCounts = stable.filter(({ value }) => (secondPage ? value >= 2 : value === 1));
  const candidates: TotalsCandidate[] = [];
  for (const total of totals) {
    for (const count of pageCounts) {
      if (size > 0 && Math.ceil(total.value / size) === count.value && pathKey(total.path) !== pathKey(count.path)) {
        candidates.push({ totalPath: total.path, pagesPath: count.path });
      }
    }
  }
  for (const total of totals) candidates.push({ totalPath: total.path });
  for (const count of pageCounts) candidates.push({ pagesPath: count.path });
  return candidates;
}
