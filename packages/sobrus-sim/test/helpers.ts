import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { RunningSimulator } from '../src/index.js';

const standardFontDataUrl = `${join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;

/**
 * Signs in over plain HTTP (the accounts form, then the app callback) and returns a Cookie header. In the site
 * variants with a sign-in hop it follows the authorize page's link and exchanges the code as the callback page's
 * script does.
 */
export async function httpLogin(sim: RunningSimulator, login: string, password: string): Promise<string> {
  const signIn = await fetch(`${sim.accountsUrl}/signin`, {
    method: 'POST',
    body: new URLSearchParams({ login, password, redirect_uri: `${sim.appUrl}/auth/callback` }),
    redirect: 'manual',
  });
  const location = signIn.headers.get('location');
  if (signIn.status !== 302 || !location) throw new Error(`sign-in refused for ${login} (${signIn.status})`);
  if (new URL(location).origin === sim.accountsUrl) return exchangeAfterHop(sim, location);
  const callback = await fetch(location, { redirect: 'manual' });
  return sessionCookieOf(callback);
}

async function exchangeAfterHop(sim: RunningSimulator, authorizeUrl: string): Promise<string> {
  const authorize = await (await fetch(authorizeUrl, { redirect: 'manual' })).text();
  const link = /<a class="continue" href="([^"]+)"/.exec(authorize)?.[1];
  if (!link) throw new Error('no link on the authorize page');
  const code = new URL(link.replaceAll('&amp;', '&')).searchParams.get('code');
  const exchange = await fetch(`${sim.appUrl}/auth/exchange`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  return sessionCookieOf(exchange);
}

function sessionCookieOf(response: Response): string {
  const cookie = response.headers.getSetCookie().find((value) => value.startsWith('sobrus_session='));
  if (!cookie) throw new Error(`no session cookie (${response.status})`);
  return cookie.split(';')[0]!;
}

export interface StatementQuery {
  customerId: string;
  startDate: string;
  endDate: string;
}

export function statementUrl(sim: RunningSimulator, query: StatementQuery): string {
  const url = new URL('/customers/export-customer-statement', sim.apiUrl);
  url.searchParams.set('type', 'advanced');
  url.searchParams.set('start_date', query.startDate);
  url.searchParams.set('end_date', query.endDate);
  url.searchParams.set('customer_id', query.customerId);
  return url.toString();
}

export async function fetchStatement(sim: RunningSimulator, cookie: string, query: StatementQuery): Promise<Response> {
  return fetch(statementUrl(sim, query), { headers: { cookie } });
}

export interface PrintedRow {
  date: string;
  reference: string;
  total: number;
  balance: number;
  page: number;
}

export interface ExtractedStatement {
  pages: number;
  opening?: number;
  closing?: number;
  rows: PrintedRow[];
}

/** Reads French amounts: any of the three thousands separators (pdfjs extracts them as spaces), decimal comma. */
export function parseFrenchAmount(text: string): number {
  const cleaned = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (!/^-?\d+\.\d{2}$/.test(cleaned)) throw new Error(`not an amount: ${JSON.stringify(text)}`);
  return Number(cleaned);
}

/**
 * A deliberately simple reader for tests: lines are text items sharing a baseline; a transaction row starts
 * with an ISO date and ends with Total then Solde.
 */
export async function extractStatement(pdf: Uint8Array): Promise<ExtractedStatement> {
  const document = await getDocument({ data: new Uint8Array(pdf), standardFontDataUrl, verbosity: 0 }).promise;
  try {
    const result: ExtractedStatement = { pages: document.numPages, rows: [] };
    for (let pageNumber = 1; pageNumber <= document.numPages; pageNumber++) {
      const page = await document.getPage(pageNumber);
      const content = await page.getTextContent();
      const lines = new Map<number, { x: number; text: string }[]>();
      for (const item of content.items) {
        if (!('str' in item) || item.str.trim() === '') continue;
        const y = Math.round(item.transform[5] as number);
        const line = lines.get(y) ?? [];
        line.push({ x: item.transform[4] as number, text: item.str });
        lines.set(y, line);
      }
      for (const y of [...lines.keys()].sort((a, b) => b - a)) {
        const items = lines.get(y)!.sort((a, b) => a.x - b.x);
        const first = items[0]!.text;
        if (first.startsWith('Solde initial : ')) result.opening = parseFrenchAmount(first.slice(16));
        else if (first.startsWith('Solde final : ')) result.closing = parseFrenchAmount(first.slice(14));
        else if (/^\d{4}-\d{2}-\d{2}$/.test(first) && items.length >= 4) {
          result.rows.push({
            date: first,
            reference: items[1]!.text,
            total: parseFrenchAmount(items.at(-2)!.text),
            balance: parseFrenchAmount(items.at(-1)!.text),
            page: pageNumber,
          });
        }
      }
    }
    return result;
  } finally {
    await document.destroy();
  }
}

/** Code points the PDF's ToUnicode maps declare: proves which characters the file really contains. */
export function toUnicodeCodePoints(pdf: Buffer): Set<number> {
  const text = pdf.toString('latin1');
  const found = new Set<number>();
  const marker = /stream\r?\n/g;
  for (let match = marker.exec(text); match; match = marker.exec(text)) {
    const start = match.index + match[0].length;
    const end = text.indexOf('endstream', start);
    let body: string;
    try {
      body = inflateSync(pdf.subarray(start, end)).toString('latin1');
    } catch {
      continue;
    }
    if (!body.includes('beginbfrange')) continue;
    for (const hex of body.match(/<([0-9a-f]{4})>/gi) ?? []) found.add(Number.parseInt(hex.slice(1, 5), 16));
  }
  return found;
}

/** Runs tasks with at most `limit` in flight. */
export async function mapLimit<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export const TEST_TODAY = '2026-06-30';
export const DEMO = { email: 'demo@pharmacie-demo.ma', password: 'demo1234' };
