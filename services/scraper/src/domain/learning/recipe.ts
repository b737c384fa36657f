import type { RawCustomer } from '../customer-list.js';
import { fieldText } from './find-list.js';
import type { PagingRule, RequestShape, TotalsCandidate } from './find-paging.js';
import { type JsonPath, valueAt } from './json-tree.js';

/** A list request as replayed over HTTP: the page's own request, with the headers it sent (cookies apart). */
export interface ListRequest extends RequestShape {
  headers: Record<string, string>;
}

/** Customer record fields besides the key and the name, in the order of the list's cells. */
export const COLUMN_FIELDS = ['email', 'phone', 'organisme', 'immatriculation'] as const;

/**
 * What was learned of one site's customer list: how to ask for a page and where the answer keeps the items,
 * their fields, and the list's size. Nothing in it is a secret or a pharmacy's data.
 */
export interface ListRecipe {
  version: 1;
  request: ListRequest;
  listPath: JsonPath;
  fields: { key: JsonPath; name: JsonPath } & Partial<Record<(typeof COLUMN_FIELDS)[number], JsonPath>>;
  paging: PagingRule;
  pageSize: number;
  totals: TotalsCandidate;
  learnedAt: string;
}

export const RECIPE_VERSION = 1;

/** Why an answer does not fit the recipe. */
export class RecipeMismatch extends Error {
  constructor(
    readonly code: 'HTTP_STATUS' | 'NOT_JSON' | 'SHAPE' | 'COUNT',
    message: string,
  ) {
    super(message);
  }
}

export interface ListPage {
  customers: RawCustomer[];
  total?: number | undefined;
  pages?: number | undefined;
}

const asCount = (value: unknown) => {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number >= 0 ? number : undefined;
};

/** A page of the list read with the recipe; a RecipeMismatch when the answer no longer has that shape. */
export function readListPage(recipe: Pick<ListRecipe, 'listPath' | 'fields' | 'totals'>, json: unknown): ListPage {
  const items = valueAt(json, recipe.listPath);
  if (!Array.isArray(items)) throw new RecipeMismatch('SHAPE', `no list at ${recipe.listPath.join('.') || 'the root'}`);
  const customers = items.map((item, index): RawCustomer => {
    const id = fieldText(item, recipe.fields.key);
    const name = fieldText(item, recipe.fields.name);
    if (!id || !name) throw new RecipeMismatch('SHAPE', `item ${index} has no key or no name where they were`);
    const customer: RawCustomer = { id, name };
    for (const field of COLUMN_FIELDS) {
      const path = recipe.fields[field];
      if (path) customer[field] = fieldText(item, path);
    }
    return customer;
  });
  const { totalPath, pagesPath } = recipe.totals;
  const total = totalPath ? asCount(valueAt(json, totalPath)) : undefined;
  const pages = pagesPath ? asCount(valueAt(json, pagesPath)) : undefined;
  if ((totalPath && total === undefined) || (pagesPath && pages === undefined)) {
    throw new RecipeMismatch('SHAPE', 'the envelope no longer announces the list size where it did');
  }
  return { customers, total, pages };
}

/** Pages of the list, from what the envelope announces; undefined when it announces nothing. */
export function pageCount(page: ListPage, pageSize: number): number | undefined {
  const fromTotal = page.total === undefined ? undefined : Math.max(1, Math.ceil(page.total / pageSize));
  if (fromTotal !== undefined && page.pages !== undefined && Math.max(1, page.pages) !== fromTotal) {
    throw new RecipeMismatch(
      'COUNT',
      `the envelope announces ${page.total} customers and ${page.pages} pages of ${pageSize}`,
    );
  }
  return fromTotal ?? (page.pages === undefined ? undefined : Math.max(1, page.pages));
}
