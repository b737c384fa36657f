import { describe, expect, it } from 'vitest';
import { findColumnPaths, findKeyPath } from './find-fields.js';
import { findList } from './find-list.js';
import { findPaging, findTotals, pageRequest } from './find-paging.js';
import { learnRecipe } from './learn-recipe.js';
import { pageCount, RecipeMismatch, readListPage } from './recipe.js';

const people = [
  { id: '2284309', name: 'Amine Tazi', email: 'a.t@x.ma', phone: '0611', org: 'CNSS', num: '123' },
  { id: '2284377', name: 'Amine Tazi', email: '', phone: '0622', org: '', num: '' },
  { id: '1900001', name: "Lalla d’Aïcha O'Neil", email: 'l@x.ma', phone: '', org: 'CNOPS', num: '456' },
  {
    id: '2000002',
    name: 'Société Pharma Distribution Maroc '.repeat(4).trim(),
    email: '',
    phone: '',
    org: '',
    num: '',
  },
];
const rows = people.map((p) => ({
  name: p.name.normalize('NFD').toUpperCase(),
  cells: [p.email, p.phone, p.org, p.num],
}));

// Three shapes of the same page, as three different sites might send it.
const classic = {
  items: people.map((p) => ({
    id: p.id,
    name: p.name,
    email: p.email,
    phone: p.phone,
    organisme: p.org,
    immatriculation: p.num,
  })),
  total: 9,
  page: 1,
  limit: 4,
  pages: 3,
};
const nested = {
  status: 'ok',
  data: {
    results: people.map((p, i) => ({
      rowId: i + 1,
      customerRef: Number(p.id),
      fullName: p.name,
      contact: { mail: p.email || null, tel: p.phone || null },
      insurance: { org: p.org || null, number: p.num || null },
    })),
    meta: { totalCount: 9, pageCount: 3, perPage: 4 },
  },
};
const menu = { menu: [{ label: 'Clients' }, { label: 'Ventes' }] };

describe('findList', () => {
  it.each([
    ['a flat envelope', classic, ['items'], ['name']],
    ['a nested envelope', nested, ['data', 'results'], ['fullName']],
  ])('finds the array of %s whatever the case, accents form and spaces', (_label, json, listPath, namePath) => {
    const match = findList(
      [menu, json, menu],
      rows.map((r) => `  ${r.name}  `),
    );
    expect(match).toMatchObject({ response: 1, listPath, namePath, matched: 4 });
  });

  it('finds nothing when the names are not in any answer', () => {
    expect(findList([menu, { items: [{ name: 'Someone Else' }] }], ['Amine Tazi', 'Autre Nom'])).toBeUndefined();
  });
});

describe('findKeyPath', () => {
  const clicks = [
    { row: 0, name: 'Amine Tazi', id: '2284309' },
    { row: 2, name: "Lalla d’Aïcha O'Neil", id: '1900001' },
  ];
  it('takes the field equal to the navigated id on both rows, not a field called id', () => {
    expect(findKeyPath(nested.data.results, ['fullName'], clicks)).toEqual(['customerRef']);
    const decoy = classic.items.map((item, i) => ({ ...item, id: i + 1, ref: item.id }));
    expect(findKeyPath(decoy, ['name'], clicks)).toEqual(['ref']);
  });

  it('tells homonyms apart by the clicked row', () => {
    expect(findKeyPath(classic.items, ['name'], [{ row: 1, name: 'Amine Tazi', id: '2284377' }])).toEqual(['id']);
  });

  it('finds nothing when no field holds the id', () => {
    expect(findKeyPath(classic.items, ['name'], [{ row: 0, name: 'Amine Tazi', id: '999' }])).toBeUndefined();
  });
});

describe('findColumnPaths', () => {
  it('maps each shown column to the field with the same text, empty cells to absent values', () => {
    expect(findColumnPaths(nested.data.results, ['fullName'], rows)).toEqual([
      ['contact', 'mail'],
      ['contact', 'tel'],
      ['insurance', 'org'],
      ['insurance', 'number'],
    ]);
  });
});

const get = (url: string) => ({ method: 'GET', url });
const post = (page: number, extra = {}) => ({
  method: 'POST',
  url: 'https://x.test/bff/search',
  body: JSON.stringify({ paging: { pageIndex: page, perPage: 25 }, ...extra }),
});

describe('findPaging', () => {
  const firstPage = { size: 25, response: { next: 'c2', rows: [] }, listPath: ['rows'] };
  it.each([
    [
      'a 1-based page in the query',
      get('https://x.test/c?page=1&limit=25'),
      get('https://x.test/c?page=2&limit=25'),
      { kind: 'number', param: { in: 'query', name: 'page' }, first: 1, step: 1 },
    ],
    [
      'a page absent from the first request',
      get('https://x.test/c'),
      get('https://x.test/c?p=2'),
      { kind: 'number', param: { in: 'query', name: 'p' }, first: 1, step: 1 },
    ],
    [
      'an offset beside a cache buster',
      get('https://x.test/c?offset=0&count=25&_=111'),
      get('https://x.test/c?offset=25&count=25&_=987'),
      { kind: 'number', param: { in: 'query', name: 'offset' }, first: 0, step: 25 },
    ],
    [
      'a 0-based index in a JSON body',
      post(0),
      post(1),
      { kind: 'number', param: { in: 'json', path: ['paging', 'pageIndex'] }, first: 0, step: 1 },
    ],
    [
      'a page in the path',
      get('https://x.test/c/page/1'),
      get('https://x.test/c/page/2'),
      { kind: 'number', param: { in: 'path', index: 3 }, first: 1, step: 1 },
    ],
    [
      "an offset beside DataTables' draw counter",
      get('https://x.test/dt?draw=1&start=0&length=25'),
      get('https://x.test/dt?draw=2&start=25&length=25'),
      { kind: 'number', param: { in: 'query', name: 'start' }, first: 0, step: 25 },
    ],
    [
      'a cursor from the envelope',
      get('https://x.test/c'),
      get('https://x.test/c?after=c2'),
      { kind: 'cursor', param: { in: 'query', name: 'after' }, cursorPath: ['next'] },
    ],
  ])('finds %s', (_label, first, second, rule) => {
    expect(findPaging(first, second, firstPage)).toEqual(rule);
  });

  it('finds nothing when nothing moved', () => {
    expect(findPaging(get('https://x.test/c?a=1'), get('https://x.test/c?a=1'), firstPage)).toBeUndefined();
  });

  it('builds the request of any page, keeping types and other parameters', () => {
    const rule = findPaging(post(0, { q: 'x' }), post(1, { q: 'x' }), firstPage);
    if (!rule) throw new Error('no rule');
    expect(JSON.parse(pageRequest(post(0, { q: 'x' }), rule, { page: 13 }).body ?? '')).toEqual({
      paging: { pageIndex: 12, perPage: 25 },
      q: 'x',
    });
    const offset = { kind: 'number', param: { in: 'query', name: 'offset' }, first: 0, step: 25 } as const;
    expect(pageRequest(get('https://x.test/c?offset=0&n=25'), offset, { page: 3 }).url).toBe(
      'https://x.test/c?offset=50&n=25',
    );
  });
});

describe('findTotals', () => {
  it('prefers a total and a page count that agree', () => {
    const page2 = { ...nested, data: { ...nested.data, results: nested.data.results.slice(0, 4) } };
    expect(
      findTotals(
        [
          { response: nested, count: 4 },
          { response: page2, count: 4 },
        ],
        ['data', 'results'],
      )[0],
    ).toEqual({
      totalPath: ['data', 'meta', 'totalCount'],
      pagesPath: ['data', 'meta', 'pageCount'],
    });
  });

  it('keeps only the total the page shows, and ignores numbers that move from page to page', () => {
    const one = { rows: [], paging: { offset: 0, count: 25, total: 301 }, at: 1712 };
    const two = { rows: [], paging: { offset: 25, count: 25, total: 301 }, at: 1799 };
    const candidates = findTotals(
      [
        { response: one, count: 25 },
        { response: two, count: 25 },
      ],
      ['rows'],
      301,
    );
    expect(candidates[0]).toEqual({ totalPath: ['paging', 'total'] });
    expect(candidates.some((c) => c.totalPath?.includes('at'))).toBe(false);
  });
});

describe('learnRecipe', () => {
  const request = (page: number) => ({ ...post(page), headers: { 'x-app-client': 'web' } });
  const page2 = {
    ...nested,
    data: {
      ...nested.data,
      results: nested.data.results
        .slice(0, 2)
        .map((r, i) => ({ ...r, customerRef: 5 + i, fullName: `Page Deux ${i}` })),
    },
  };
  const seen = {
    exchanges: [
      { request: { ...get('https://x.test/menu'), headers: {} }, status: 200, json: menu },
      { request: request(0), status: 200, json: nested },
      { request: request(1), status: 200, json: page2 },
    ],
    firstRows: rows,
    clicks: [
      { row: 0, name: rows[0]?.name ?? '', id: '2284309' },
      { row: 3, name: rows[3]?.name ?? '', id: '2000002' },
    ],
    secondRows: [
      { name: 'Page Deux 0', cells: [] },
      { name: 'Page Deux 1', cells: [] },
    ],
  };

  it('learns the list, the key, the fields, the paging and the size from one page, two clicks and "next"', () => {
    const outcome = learnRecipe(seen);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.draft).toMatchObject({
      request: request(0),
      listPath: ['data', 'results'],
      fields: { key: ['customerRef'], name: ['fullName'], email: ['contact', 'mail'] },
      paging: { kind: 'number', param: { in: 'json', path: ['paging', 'pageIndex'] }, first: 0, step: 1 },
      pageSize: 4,
    });
    const page = readListPage({ ...outcome.draft, totals: outcome.draft.totalsCandidates[0] ?? {} }, nested);
    expect(page.customers[2]).toEqual({
      id: '1900001',
      name: people[2]?.name,
      email: 'l@x.ma',
      phone: '',
      organisme: 'CNOPS',
      immatriculation: '456',
    });
    expect(pageCount(page, 4)).toBe(3);
  });

  it('says which step failed', () => {
    expect(learnRecipe({ ...seen, clicks: [] })).toMatchObject({ ok: false, step: 'key' });
    expect(learnRecipe({ ...seen, exchanges: seen.exchanges.slice(0, 2) })).toMatchObject({
      ok: false,
      step: 'paging',
    });
    expect(learnRecipe({ ...seen, exchanges: [] })).toMatchObject({ ok: false, step: 'list' });
  });

  it('rejects an answer that lost its shape', () => {
    const recipe = { listPath: ['data', 'results'], fields: { key: ['customerRef'], name: ['fullName'] }, totals: {} };
    expect(() => readListPage(recipe, { data: { items: [] } })).toThrow(RecipeMismatch);
    expect(() => readListPage(recipe, { data: { results: [{ fullName: 'x' }] } })).toThrow(/no key/);
  });
});
