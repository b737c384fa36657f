import { normalizeText } from './kind.js';
import { joinItems, type Line, mergeTouching } from './lines.js';
import type { TextItem } from './text-item.js';
import { splitIntoWords } from './words.js';

export interface ColumnSpec<K extends string> {
  key: K;
  /** Accepted header wordings, each as normalized words (lower case, no accents). */
  labels: string[][];
}

export interface HeaderCell<K extends string> {
  key: K;
  x0: number;
  x1: number;
}

export interface Column<K extends string> {
  key: K;
  left: number;
  right: number;
}

export type Cells<K extends string> = Record<K, string>;

/** Finds the spec's labels, in order, among the line's words; undefined when the line is not that header. */
export function matchHeader<K extends string>(line: Line, spec: ColumnSpec<K>[]): HeaderCell<K>[] | undefined {
  const words = splitIntoWords(mergeTouching(line.items)).map((word) => ({ ...word, norm: normalizeText(word.str) }));
  const cells: HeaderCell<K>[] = [];
  let position = 0;
  const norms = words.map((word) => word.norm);
  for (const column of spec) {
    const found = column.labels
      .map((label) => ({ label, start: findSequence(norms, label, position) }))
      .filter((candidate) => candidate.start >= 0)
      .sort((p, q) => p.start - q.start || q.label.length - p.label.length)[0];
    if (!found) return undefined;
    const first = words[found.start]!;
    const last = words[found.start + found.label.length - 1]!;
    cells.push({ key: column.key, x0: first.x, x1: last.x + last.width });
    position = found.start + found.label.length;
  }
  return cells;
}

function findSequence(words: string[], label: string[], from: number): number {
  for (let start = from; start + label.length <= words.length; start++) {
    if (label.every((word, offset) => words[start + offset] === word)) return start;
  }
  return -1;
}

/**
 * Column boundaries from the header, refined by the data: between two header labels the boundary goes in the
 * widest vertical strip that no data item covers, so left- and right-aligned columns both come out right even
 * when values are wider than their header.
 */
export function buildColumns<K extends string>(header: HeaderCell<K>[], dataLines: Line[]): Column<K>[] {
  const boundaries: number[] = [];
  const dataItems = dataLines.flatMap((line) => line.items);
  for (let index = 0; index + 1 < header.length; index++) {
    const a = header[index]!.x1;
    const b = header[index + 1]!.x0;
    if (b <= a) {
      boundaries.push((a + b) / 2);
      continue;
    }
    const covering = dataItems
      .filter((item) => item.x < b && item.x + item.width > a && !(item.x <= a && item.x + item.width >= b))
      .map((item) => [Math.max(a, item.x), Math.min(b, item.x + item.width)] as const);
    const hole = widestHole(a, b, covering);
    boundaries.push(hole ? (hole[0] + hole[1]) / 2 : (a + b) / 2);
  }
  return header.map((cell, index) => ({
    key: cell.key,
    left: index === 0 ? Number.NEGATIVE_INFINITY : boundaries[index - 1]!,
    right: index === header.length - 1 ? Number.POSITIVE_INFINITY : boundaries[index]!,
  }));
}

function widestHole(a: number, b: number, covering: (readonly [number, number])[]): [number, number] | undefined {
  const sorted = [...covering].sort((p, q) => p[0] - q[0]);
  let best: [number, number] | undefined;
  let cursor = a;
  for (const [start, end] of [...sorted, [b, b] as const]) {
    if (start > cursor && (!best || start - cursor > best[1] - best[0])) best = [cursor, start];
    cursor = Math.max(cursor, end);
  }
  return best;
}

/**
 * The text of each column on a line. An item straddling a boundary (a producer merged several cells) is cut:
 * when it runs into a numeric column, the longest trailing amount goes there; otherwise words are placed by
 * their estimated position.
 */
export function assignCells<K extends string>(
  line: Line,
  columns: Column<K>[],
  isNumber: (key: K, text: string) => boolean = () => false,
): Cells<K> {
  const buckets = new Map<K, TextItem[]>(columns.map((column) => [column.key, []]));
  const columnAt = (x: number) => columns.find((candidate) => x >= candidate.left && x < candidate.right) ?? columns[0];
  const place = (item: TextItem) => {
    const column = columnAt(item.x + item.width / 2);
    if (column) buckets.get(column.key)!.push(item);
  };
  const assign = (item: TextItem) => {
    const straddles = columns.some(
      (column) =>
        Number.isFinite(column.right) && item.x < column.right - 0.5 && item.x + item.width > column.right + 0.5,
    );
    if (!straddles || !/\s/.test(item.str.trim())) return place(item);
    const last = columnAt(item.x + item.width - 0.5);
    const tail = last ? trailingNumber(item, last.left, (text) => isNumber(last.key, text)) : undefined;
    if (!last || !tail) return splitIntoWords([item]).forEach(place);
    buckets.get(last.key)!.push(tail.number);
    // What precedes the number belongs to the columns on the left of the number's column.
    if (tail.rest) assign({ ...tail.rest, width: Math.min(tail.rest.width, Math.max(0, last.left - 1 - item.x)) });
  };
  line.items.forEach(assign);
  const cells = {} as Cells<K>;
  for (const [key, items] of buckets) cells[key] = joinItems(items.sort((a, b) => a.x - b.x));
  return cells;
}

const GROUPED_NUMBER = /^[-\u2212]?(\d{1,3}([\s\u00A0\u202F]\d{3})+|\d+)(,\d+)?( ?%)?$/;

/**
 * Splits off the number that ends an item running into a numeric column. Candidates are the whitespace-separated
 * suffixes that read as a well-grouped number; "24 506,16" may be one amount or a price then a total, so the
 * longest candidate whose estimated start lies inside the column wins, else the longest of all.
 */
function trailingNumber(
  item: TextItem,
  columnLeft: number,
  isNumber: (text: string) => boolean,
): { number: TextItem; rest: TextItem | undefined } | undefined {
  const text = item.str.trimEnd();
  const charWidth = item.width / Math.max(1, [...item.str].length);
  const candidates: { index: number; x: number }[] = [];
  for (let index = 0; index < text.length; index++) {
    if (index > 0 && !/\s/.test(text[index - 1]!)) continue;
    if (/\s/.test(text[index]!)) continue;
    const suffix = text.slice(index);
    if (!GROUPED_NUMBER.test(suffix) || !isNumber(suffix)) continue;
    candidates.push({ index, x: item.x + [...text.slice(0, index)].length * charWidth });
  }
  const chosen = candidates.find((candidate) => candidate.x >= columnLeft - charWidth) ?? candidates[0];
  if (!chosen) return undefined;
  const prefix = text.slice(0, chosen.index).trimEnd();
  return {
    number: { ...item, str: text.slice(chosen.index), x: chosen.x, width: item.x + item.width - chosen.x },
    rest: prefix ? { ...item, str: prefix, width: [...prefix].length * charWidth } : undefined,
  };
}

/** Whether every item of the line lies inside the given column. */
export function onlyInColumn<K extends string>(line: Line, columns: Column<K>[], key: K): boolean {
  const column = columns.find((candidate) => candidate.key === key);
  if (!column) return false;
  return line.items.every((item) => {
    const center = item.x + item.width / 2;
    return center >= column.left && center < column.right;
  });
}
