import { arraysIn, type JsonPath, leavesOf, normalizeText, pathKey, valueAt } from './json-tree.js';

/** A customer row as the list page shows it: the name, then the other cells' text in column order. */
export interface ShownRow {
  name: string;
  cells: string[];
}

export interface ListMatch {
  /** Which of the captured responses holds the list. */
  response: number;
  listPath: JsonPath;
  /** Where an item keeps the name shown in the row (relative to the item). */
  namePath: JsonPath;
  items: unknown[];
  /** Shown names found in the array. */
  matched: number;
}

/** Leaves an item field may sit at: nested objects a few levels deep, no arrays. */
export const itemLeaves = (item: unknown) => leavesOf(item, { maxDepth: 3, intoArrays: false });

/**
 * The array, at any depth of any captured JSON response, whose items carry the names the table shows. Names
 * are compared normalised (NFC, case, spaces); most of them (80 %) must be found, each at most as often as
 * it is shown. Ties go to the later response (the page's latest load).
 */
export function findList(responses: readonly unknown[], shownNames: readonly string[]): ListMatch | undefined {
  const wanted = countBy(shownNames.map(normalizeText).filter(Boolean));
  const wantedCount = [...wanted.values()].reduce((a, b) => a + b, 0);
  if (wantedCount === 0) return undefined;
  let best: ListMatch | undefined;
  responses.forEach((json, response) => {
    for (const [listPath, items] of arraysIn(json)) {
      const byField = new Map<string, { path: JsonPath; values: string[] }>();
      for (const item of items) {
        for (const [path, value] of itemLeaves(item)) {
          if (typeof value !== 'string') continue;
          const key = pathKey(path);
          const field = byField.get(key) ?? { path, values: [] };
          field.values.push(normalizeText(value));
          byField.set(key, field);
        }
      }
      for (const { path, values } of byField.values()) {
        const matched = multisetOverlap(wanted, countBy(values));
        const better =
          !best ||
          matched > best.matched ||
          (matched === best.matched && (response > best.response || items.length < best.items.length));
        if (matched > 0 && better) best = { response, listPath, namePath: path, items, matched };
      }
    }
  });
  return best && best.matched >= Math.ceil(wantedCount * 0.8) ? best : undefined;
}

function countBy(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

function multisetOverlap(wanted: Map<string, number>, present: Map<string, number>): number {
  let overlap = 0;
  for (const [value, count] of wanted) overlap += Math.min(count, present.get(value) ?? 0);
  return overlap;
}

/** The text of an item's field, as the customer record keeps it ('' when absent or null). */
export function fieldText(item: unknown, path: JsonPath): string {
  const value = valueAt(item, path);
  return value === null || value === undefined || typeof value === 'object' ? '' : String(value).trim();
}
