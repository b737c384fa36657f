import { describe, expect, it } from 'vitest';
import type { ListRecipe } from '../domain/learning/recipe.js';
import { recipeKey, storableRecipe } from './recipe-store.js';

const recipe = (request: ListRecipe['request']): ListRecipe => ({
  version: 1,
  request,
  listPath: ['items'],
  fields: { key: ['id'], name: ['name'] },
  paging: { kind: 'number', param: { in: 'query', name: 'page' }, first: 1, step: 1 },
  pageSize: 20,
  totals: { totalPath: ['total'] },
  learnedAt: '2026-12-04T00:00:00.000Z',
});

describe('what a kept recipe may hold', () => {
  it('drops every header, query parameter and body field whose name may carry a credential', () => {
    const kept = storableRecipe(
      recipe({
        method: 'POST',
        url: 'https://app.test/api/list?page=1&access_token=abc&q=',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer abc',
          'x-csrf-token': 'abc',
          cookie: 'a=b',
        },
        body: JSON.stringify({ paging: { page: 1 }, csrf_token: 'abc', auth: { sessionId: 'abc' } }),
      }),
    );
    expect(kept.request.url).toBe('https://app.test/api/list?page=1&q=');
    expect(kept.request.headers).toEqual({ 'content-type': 'application/json' });
    expect(JSON.parse(kept.request.body ?? '')).toEqual({ paging: { page: 1 } });
    const form = storableRecipe(
      recipe({ method: 'POST', url: 'https://app.test/l', headers: {}, body: '_token=abc&page=1' }),
    );
    expect(form.request.body).toBe('page=1');
    expect(JSON.stringify([kept, form])).not.toContain('abc');
  });

  it('keeps one recipe per site and pharmacy', () => {
    const a = recipeKey('https://app.test/x', 'a@x.ma');
    expect(recipeKey('https://app.test/', 'A@x.ma')).toBe(a);
    expect(recipeKey('https://app.test/', 'b@x.ma')).not.toBe(a);
    expect(recipeKey('https://other.test/', 'a@x.ma')).not.toBe(a);
    expect(a).toMatch(/^[-\w]+$/);
  });
});
