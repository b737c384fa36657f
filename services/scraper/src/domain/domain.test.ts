import { describe, expect, it } from 'vitest';
import { cookieHeader } from '../sobrus/session-provider.js';
import { forEachPageAfterFirst } from './concurrency.js';
import { CountMismatchError, mergePages, toCustomer } from './customer-list.js';
import { checkPdf } from './pdf-check.js';

const pdf = (text: string) => new TextEncoder().encode(text);
const headers = (contentType: string | null, contentLength: string | null = null) => ({ contentType, contentLength });

describe('checkPdf', () => {
  const whole = '%PDF-1.4\n...\n%%EOF\n';
  it.each([
    ['a whole PDF', whole, headers('application/pdf', String(whole.length)), undefined],
    ['HTML', '<html></html>', headers('text/html'), 'NOT_PDF'],
    ['no magic', 'hello %%EOF', headers('application/pdf'), 'NOT_PDF'],
    ['no trailer', '%PDF-1.4\nstream...', headers('application/pdf'), 'TRUNCATED'],
    ['short body', whole, headers('application/pdf', String(whole.length + 10)), 'TRUNCATED'],
    ['empty', '', headers('application/pdf'), 'EMPTY'],
  ])('%s', (_label, body, h, code) => {
    expect(checkPdf(pdf(body), h, 1_000_000)?.code).toBe(code);
  });

  it('refuses a body over the size limit', () => {
    expect(checkPdf(pdf(whole), headers('application/pdf'), 5)?.code).toBe('TOO_LARGE');
  });
});

describe('mergePages', () => {
  const c = (id: string) => toCustomer({ id, name: `n${id}` });
  it('keeps each customer once in page order and checks the total', () => {
    const pages = new Map([
      [2, [c('3'), c('4')]],
      [1, [c('1'), c('2')]],
    ]);
    expect(mergePages(pages, 4, 'api').customers.map((x) => x.clientKey)).toEqual(['1', '2', '3', '4']);
  });

  it('fails when pages overlap and a customer goes missing', () => {
    const pages = new Map([
      [1, [c('1'), c('2')]],
      [2, [c('2'), c('3')]],
    ]);
    expect(() => mergePages(pages, 4, 'dom')).toThrow(CountMismatchError);
  });

  it('drops empty contact fields and trims names', () => {
    expect(toCustomer({ id: '7', name: ' A ', email: '', phone: null, organisme: 'CNSS' })).toEqual({
      clientKey: '7',
      name: 'A',
      organisme: 'CNSS',
    });
  });
});

describe('cookieHeader', () => {
  const cookie = (name: string, domain: string, path = '/') => ({
    name,
    value: `${name}-v`,
    domain,
    path,
    expires: -1,
    httpOnly: true,
    secure: false,
    sameSite: 'Lax' as const,
  });
  it('sends the cookies of the host and its parent domains, ignoring the port', () => {
    const cookies = [
      cookie('a', '.sobrus.com'),
      cookie('b', 'app.pharma.sobrus.com'),
      cookie('c', 'api.pharma.sobrus.com'),
    ];
    expect(cookieHeader(cookies, new URL('https://api.pharma.sobrus.com:8443/x'))).toBe('a=a-v; c=c-v');
  });
  it('falls back to every cookie when none matches the host', () => {
    expect(cookieHeader([cookie('a', 'app.example')], new URL('http://127.0.0.1/'))).toBe('a=a-v');
  });
});

describe('forEachPageAfterFirst', () => {
  it('fetches pages 2 to the last once each and reports every page done, the first one included', async () => {
    const fetched: number[] = [];
    const reports: [number, number][] = [];
    await forEachPageAfterFirst(
      4,
      { concurrency: 2, onPage: (done, total) => reports.push([done, total]) },
      async (page) => {
        fetched.push(page);
      },
    );
    expect(fetched.sort()).toEqual([2, 3, 4]);
    expect(reports).toEqual([
      [1, 4],
      [2, 4],
      [3, 4],
      [4, 4],
    ]);
  });

  it('fetches nothing more for a list of one page', async () => {
    const fetched: number[] = [];
    await forEachPageAfterFirst(1, { concurrency: 3 }, async (page) => {
      fetched.push(page);
    });
    expect(fetched).toEqual([]);
  });
});
