import type { CapturedExchange } from './learn-recipe.js';
import type { ListRequest } from './recipe.js';

/** Header values safe to show as they are; every other value is masked, credentials are left out. */
const PLAIN_HEADERS = new Set(['accept', 'content-type', 'accept-language', 'x-requested-with']);
/** Header and parameter names that may carry a credential: never stored, never put in a diagnostic bundle. */
export const SECRET_NAME = /cookie|authori[sz]ation|token|csrf|xsrf|session|secret|passw|api[-_]?key|signature|^auth/i;

/** Letters become x/X, digits 9: the length and punctuation of a value stay, its content does not. */
export const maskText = (text: string) =>
  text.replace(/\p{L}|\p{N}/gu, (char) => (/\p{N}/u.test(char) ? '9' : /\p{Lu}/u.test(char) ? 'X' : 'x'));

/** A path segment that may be an id or a token (long, or letters mixed with digits), unlike `v3` or `customers`. */
const mayIdentify = (segment: string) =>
  /\d{4}|[0-9a-f-]{16}|@/i.test(segment) ||
  segment.length >= 20 ||
  (segment.length > 4 && /\d/.test(segment) && /\p{L}/u.test(segment));

/** Small whole numbers (page numbers, sizes, offsets, counts) say how paging works and are kept. */
const isPagingNumber = (text: string) => /^\d{1,6}$/.test(text);

/**
 * A JSON value with every string masked and every number masked except whole numbers outside arrays of
 * records (the envelope's counts and sizes); field names, nesting and types are kept.
 */
export function maskJson(value: unknown, insideRecords = false): unknown {
  if (typeof value === 'string') return maskText(value);
  if (typeof value === 'number') {
    return !insideRecords && Number.isInteger(value) && value >= 0 && value < 1_000_000
      ? value
      : Number(maskText(String(value)).replace(/^-?9/, '9'));
  }
  if (Array.isArray(value)) {
    const records = value.some((item) => typeof item === 'object' && item !== null);
    return value.map((item) => maskJson(item, insideRecords || records));
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskJson(item, insideRecords)]));
  }
  return value;
}

const maskParam = (name: string, value: string) =>
  SECRET_NAME.test(name) ? '[removed]' : isPagingNumber(value) ? value : maskText(value);

/** A request as a bundle may show it: names kept, values masked, no credential at all. */
export function maskRequest(request: ListRequest): ListRequest {
  const url = new URL(request.url);
  url.username = '';
  url.password = '';
  const query = [...url.searchParams].map(([name, value]) => [name, maskParam(name, value)]);
  url.search = new URLSearchParams(query).toString();
  url.pathname = url.pathname
    .split('/')
    .map((segment) => (isPagingNumber(segment) || !mayIdentify(segment) ? segment : maskText(segment)))
    .join('/');
  const headers = Object.fromEntries(
    Object.entries(request.headers)
      .filter(([name]) => !SECRET_NAME.test(name))
      .map(([name, value]) => [name, PLAIN_HEADERS.has(name.toLowerCase()) ? value : maskText(value)]),
  );
  return {
    method: request.method,
    url: url.toString(),
    headers,
    ...(request.body !== undefined ? { body: maskBody(request.body) } : {}),
  };
}

function maskBody(body: string): string {
  try {
    return JSON.stringify(maskJson(JSON.parse(body)));
  } catch {
    const form = new URLSearchParams(body);
    return new URLSearchParams([...form].map(([name, value]) => [name, maskParam(name, value)])).toString();
  }
}

export const maskExchange = (exchange: CapturedExchange): CapturedExchange => ({
  request: maskRequest(exchange.request),
  status: exchange.status,
  json: maskJson(exchange.json),
});
