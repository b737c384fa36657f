import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ListObservation, learnRecipe } from './learn-recipe.js';
import { readListPage } from './recipe.js';

// What the list learner saw on each simulated site (recorded by services/scraper/test/record-observations.ts):
// the page's JSON traffic, the rows of pages 1 and 2, two row clicks and their ids.
const recorded = (site: string) =>
  JSON.parse(readFileSync(new URL(`./fixtures/${site}.json`, import.meta.url), 'utf8')) as ListObservation | null;

describe('learning on recorded visits of three site shapes', () => {
  it.each([
    ['classic', ['items'], ['id'], { kind: 'number', param: { in: 'query', name: 'page' }, first: 1, step: 1 }, 20],
    [
      'search-post',
      ['data', 'results'],
      ['customerRef'],
      { kind: 'number', param: { in: 'json', path: ['paging', 'pageIndex'] }, first: 0, step: 1 },
      25,
    ],
    [
      'offset-rest',
      ['rows'],
      ['ref'],
      { kind: 'number', param: { in: 'query', name: 'offset' }, first: 0, step: 50 },
      50,
    ],
  ])('learns %s: list, key, paging and size', (site, listPath, key, paging, pageSize) => {
    const seen = recorded(site);
    if (!seen) throw new Error(`no recorded visit for ${site}`);
    const outcome = learnRecipe(seen);
    if (!outcome.ok) throw new Error(`${outcome.step}: ${outcome.reason}`);
    const { draft } = outcome;
    expect(draft).toMatchObject({ listPath, fields: { key }, paging, pageSize });
    expect(Object.keys(draft.fields).sort()).toEqual(['email', 'immatriculation', 'key', 'name', 'organisme', 'phone']);
    expect(draft.totalsCandidates.length).toBeGreaterThan(0);
    // Read with the learned recipe, page 1 gives back the rows shown, with the ids their clicks navigated to.
    const first = seen.exchanges.find(
      (exchange) => exchange.request.url === draft.request.url && exchange.request.body === draft.request.body,
    );
    const page = readListPage({ ...draft, totals: draft.totalsCandidates[0] ?? {} }, first?.json);
    expect(page.customers.map((customer) => customer.name)).toEqual(seen.firstRows.map((row) => row.name));
    for (const click of seen.clicks) expect(page.customers[click.row]?.id).toBe(click.id);
    expect(page.total ?? (page.pages ?? 0) * pageSize).toBeGreaterThanOrEqual(61);
  });

  it('says the list is not in any JSON on the site that has none', () => {
    const seen = recorded('html-only');
    if (!seen) throw new Error('no recorded visit for html-only');
    expect(seen.exchanges).toEqual([]);
    expect(learnRecipe(seen)).toMatchObject({ ok: false, step: 'list' });
  });

  it('says the same of a site whose JSON never holds a shown name whole (names split in two fields)', () => {
    const seen = recorded('split-names');
    if (!seen) throw new Error('no recorded visit for split-names');
    expect(seen.exchanges.length).toBeGreaterThan(0);
    expect(learnRecipe(seen)).toMatchObject({ ok: false, step: 'list' });
  });
});
