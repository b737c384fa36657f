import { fieldText, itemLeaves, type ShownRow } from './find-list.js';
import { type JsonPath, normalizeText, pathKey } from './json-tree.js';

/** A row clicked on the list page, and the id its navigation to `/customer/<id>/…` carried. */
export interface RowClick {
  row: number;
  name: string;
  id: string;
}

/**
 * The item field that holds the client key: the one equal to the id each clicked row navigated to, on every
 * clicked row. When several fields qualify, one whose values are unique across the items wins (a key is).
 */
export function findKeyPath(
  items: readonly unknown[],
  namePath: JsonPath,
  clicks: readonly RowClick[],
): JsonPath | undefined {
  if (clicks.length === 0) return undefined;
  let candidates: Map<string, JsonPath> | undefined;
  for (const click of clicks) {
    const found = new Map<string, JsonPath>();
    for (const item of itemsNamed(items, namePath, click)) {
      for (const [path, value] of itemLeaves(item)) {
        if ((typeof value === 'string' || typeof value === 'number') && String(value).trim() === click.id) {
          found.set(pathKey(path), path);
        }
      }
    }
    candidates = candidates ? new Map([...candidates].filter(([key]) => found.has(key))) : found;
  }
  const paths = [...(candidates?.values() ?? [])];
  const unique = paths.filter((path) => new Set(items.map((item) => fieldText(item, path))).size === items.length);
  return [...unique, ...paths].sort((a, b) => a.length - b.length)[0];
}

/** The clicked row's item: the one at the row's position when its name agrees, else every item of that name. */
function itemsNamed(items: readonly unknown[], namePath: JsonPath, click: RowClick): unknown[] {
  const name = normalizeText(click.name);
  const atRow = items[click.row];
  if (atRow !== undefined && normalizeText(fieldText(atRow, namePath)) === name) return [atRow];
  return items.filter((item) => normalizeText(fieldText(item, namePath)) === name);
}

/**
 * For each shown cell column, the item field whose text equals that column's cells on every row (an empty
 * cell matching an absent, null or empty field); undefined for a column no field explains.
 */
export function findColumnPaths(
  items: readonly unknown[],
  namePath: JsonPath,
  rows: readonly ShownRow[],
): (JsonPath | undefined)[] {
  const pairs = alignRows(items, namePath, rows);
  const columns = Math.max(0, ...rows.map((row) => row.cells.length));
  const result: (JsonPath | undefined)[] = [];
  for (let column = 0; column < columns; column++) {
    const evidence = pairs.filter(([, row]) => normalizeText(row.cells[column]) !== '');
    if (evidence.length === 0) {
      result.push(undefined);
      continue;
    }
    const candidates = new Map<string, JsonPath>();
    for (const [path] of itemLeaves(evidence[0]?.[0])) candidates.set(pathKey(path), path);
    const match = [...candidates.values()]
      .filter((path) =>
        pairs.every(([item, row]) => normalizeText(fieldText(item, path)) === normalizeText(row.cells[column])),
      )
      .sort((a, b) => a.length - b.length)[0];
    result.push(match);
  }
  return result;
}

/** Rows paired with their items: by position when the names agree all along, else by names shown once. */
function alignRows(items: readonly unknown[], namePath: JsonPath, rows: readonly ShownRow[]): [unknown, ShownRow][] {
  const nameOf = (item: unknown) => normalizeText(fieldText(item, namePath));
  if (rows.every((row, i) => items[i] !== undefined && nameOf(items[i]) === normalizeText(row.name))) {
    return rows.map((row, i) => [items[i], row]);
  }
  const pairs: [unknown, ShownRow][] = [];
  for (const row of rows) {
    const named = items.filter((item) => nameOf(item) === normalizeText(row.name));
    const sameRows = rows.filter((other) => normalizeText(other.name) === normalizeText(row.name));
    if (named.length === 1 && sameRows.length === 1) pairs.push([named[0], row]);
  }
  return pairs;
}
