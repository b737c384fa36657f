import { MINUS_SIGNS } from './amount.js';
import { normalizeText } from './kind.js';
import { joinItems, type Line, mergeTouching, sizeOf } from './lines.js';
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

/** A header word with its normalized text. */
interface HeaderWord extends TextItem {
  norm: string;
}

/**
 * Finds the spec's labels, in order, among the words of a header; undefined when the lines are not that header.
 * A header may be wrapped over several lines (each passed here): words stacked in one column (they overlap
 * horizontally) are read top to bottom before the next column, so "Transaction" over "N°" reads as one label
 * whether the cell is aligned left, centred or right.
 */
export function matchHeader<K extends string>(
  lines: Line | Line[],
  spec: ColumnSpec<K>[],
): HeaderCell<K>[] | undefined {
  const words = headerWords(Array.isArray(lines) ? lines : [lines], headerVocabulary(spec));
  const cells: HeaderCell<K>[] = [];
  let position = 0;
  const norms = words.map((word) => word.norm);
  for (const column of spec) {
    const found = column.labels
      .map((label) => ({ label, start: findSequence(norms, label, position) }))
      .filter((candidate) => candidate.start >= 0)
      .sort((p, q) => p.start - q.start || q.label.length - p.label.length)[0];
    if (!found) return undefined;
    const used = words.slice(found.start, found.start + found.label.length);
    cells.push({
      key: column.key,
      x0: Math.min(...used.map((word) => word.x)),
      x1: Math.max(...used.map((word) => word.x + word.width)),
    });
    position = found.start + found.label.length;
  }
  return cells;
}

/** Every word of the spec's labels, normalized: lines made only of these may be part of a wrapped header. */
export function headerVocabulary(...specs: ColumnSpec<string>[][]): Set<string> {
  return new Set(specs.flat().flatMap((column) => column.labels.flat()));
}

/** Normalized words of a line. */
export function wordsOf(line: Line): string[] {
  return splitIntoWords(mergeTouching(line.items)).map((word) => normalizeText(word.str));
}

function headerWords(lines: Line[], vocabulary: Set<string>): HeaderWord[] {
  const words = lines
    .flatMap((line) => splitIntoWords(mergeTouching(line.items)))
    .map((word) => ({ ...word, norm: normalizeText(word.str) }));
  if (lines.length === 1) return words;
  // Stacks: words whose horizontal extents overlap, left to right; within a stack, top to bottom.
  const byLeft = [...words].sort((a, b) => a.x - b.x);
  const stacks: { right: number; words: HeaderWord[] }[] = [];
  for (const word of byLeft) {
    const stack = stacks.at(-1);
    if (stack && word.x < stack.right - 0.5) {
      stack.words.push(word);
      stack.right = Math.max(stack.right, word.x + word.width);
    } else {
      stacks.push({ right: word.x + word.width, words: [word] });
    }
  }
  return stacks.flatMap((stack) =>
    joinBrokenWords(
      stack.words.sort((a, b) => b.y - a.y || a.x - b.x),
      vocabulary,
    ),
  );
}

/** A narrow header cell may break a word over two lines ("Transactio" over "n"): the halves are glued back. */
function joinBrokenWords(words: HeaderWord[], vocabulary: Set<string>): HeaderWord[] {
  const out: HeaderWord[] = [];
  for (const word of words) {
    const previous = out.at(-1);
    if (previous && !vocabulary.has(previous.norm) && vocabulary.has(previous.norm + word.norm)) {
      out[out.length - 1] = {
        ...previous,
        str: previous.str + word.str,
        norm: previous.norm + word.norm,
        x: Math.min(previous.x, word.x),
        width: Math.max(previous.x + previous.width, word.x + word.width) - Math.min(previous.x, word.x),
      };
    } else {
      out.push(word);
    }
  }
  return out;
}

function findSequence(words: string[], label: string[], from: number): number {
  for (let start = from; start + label.length <= words.length; start++) {
    if (label.every((word, offset) => words[start + offset] === word)) return start;
  }
  return -1;
}

/** A cell of a data row: words closer to each other than a cell gap. */
interface DataCell {
  row: number;
  x0: number;
  x1: number;
  text: string;
}

/** Words further apart than this many font sizes are in different cells (a word space is about 0.3). */
const CELL_GAP = 0.6;

const cellsCache = new WeakMap<Line, { x0: number; x1: number; text: string }[]>();

/** A line's cells: its words, grouped while the gap between neighbours stays below a cell gap. */
export function cellsOf(line: Line): { x0: number; x1: number; text: string }[] {
  let cells = cellsCache.get(line);
  if (!cells) {
    cells = splitCells(line);
    cellsCache.set(line, cells);
  }
  return cells;
}

function splitCells(line: Line): { x0: number; x1: number; text: string }[] {
  const runs = mergeTouching(line.items)
    .flatMap((run) => (spansCells(run) ? splitIntoWords([run]) : [run]))
    .filter((run) => run.str.trim() !== '')
    .sort((a, b) => a.x - b.x);
  const cells: { x0: number; x1: number; items: TextItem[] }[] = [];
  for (const run of runs) {
    const cell = cells.at(-1);
    if (cell && run.x - cell.x1 <= CELL_GAP * sizeOf(run)) {
      cell.items.push(run);
      cell.x1 = Math.max(cell.x1, run.x + run.width);
    } else {
      cells.push({ x0: run.x, x1: run.x + run.width, items: [run] });
    }
  }
  return cells.map((cell) => ({ x0: cell.x0, x1: cell.x1, text: joinItems(cell.items) }));
}

/** Widest average glyph, in font sizes, of a run drawn as continuous text (capitals of a wide font). */
const WIDEST_GLYPH = 0.9;

/**
 * A run the producer drew in one piece stays one cell (the positions of its words would only be estimates),
 * unless it is padded with spaces or too wide for its glyphs: then it crosses from one cell into the next.
 */
function spansCells(run: TextItem): boolean {
  const text = run.str.trim();
  return /\s{2,}/.test(text) || (/\s/.test(text) && run.width > WIDEST_GLYPH * sizeOf(run) * [...run.str].length);
}

/** What a column's cells must read as, for the columns that hold values (dates, amounts, quantities). */
export type ValueTest<K extends string> = (key: K, text: string) => boolean | undefined;

const EMPTY_COLUMN_COST = 150;
/** A column never spans more stretches than this (the words of one cell rarely leave more gaps in every row). */
const MAX_RUN = 8;
/** Past a few rows that do not read as the column's values, the run is out anyway. */
const MAX_WRONG_COUNTED = 3;
const WRONG_VALUE_COST = 1_000;

/**
 * Column boundaries from where the data rows' cells are. The cells of all rows are projected on the x axis:
 * the stretches they cover are the data's columns, whatever their alignment (left edges of text and right
 * edges of amounts each line up, so a column's cells overlap). The header only names them, in order: each
 * header label takes a run of neighbouring stretches (several when a column's words happen to leave a gap
 * in every row) or none (a column empty on every row), choosing the assignment in which value columns read as
 * values, labels lie nearest their data and the fewest wide gaps are swallowed.
 */
export function buildColumns<K extends string>(
  header: HeaderCell<K>[],
  dataLines: Line[],
  valueTest: ValueTest<K> = () => undefined,
): Column<K>[] {
  const cells: DataCell[] = dataLines.flatMap((line, row) => cellsOf(line).map((cell) => ({ ...cell, row })));
  const stretches = fewestStretches(coveredStretches(cells), MAX_STRETCHES);
  if (stretches.length === 0) return columnsFromHeader(header);
  // Cells in x order meet the stretches in x order.
  const cellsByStretch = stretches.map(() => [] as DataCell[]);
  let stretchIndex = 0;
  for (const cell of [...cells].sort((a, b) => a.x0 - b.x0)) {
    while (stretchIndex < stretches.length - 1 && cell.x0 > stretches[stretchIndex]!.x1 + 0.01) stretchIndex++;
    cellsByStretch[stretchIndex]!.push(cell);
  }

  // The text each row has in a run of stretches, kept for every header that tries the run.
  const runTexts = new Map<number, string[]>();
  const textsOf = (first: number, last: number): string[] => {
    const key = first * (MAX_STRETCHES + 1) + last;
    let texts = runTexts.get(key);
    if (!texts) {
      const byRow = new Map<number, string[]>();
      // Stretches are disjoint and ordered, and a stretch's cells are in x order: no sort needed.
      for (let index = first; index <= last; index++) {
        for (const cell of cellsByStretch[index]!) {
          const row = byRow.get(cell.row);
          if (row) row.push(cell.text);
          else byRow.set(cell.row, [cell.text]);
        }
      }
      texts = [...byRow.values()].map((parts) => parts.join(' '));
      runTexts.set(key, texts);
    }
    return texts;
  };
  const runCost = (column: HeaderCell<K>, first: number, last: number): number => {
    const x0 = stretches[first]!.x0;
    const x1 = stretches[last]!.x1;
    const distance = Math.max(0, column.x0 - x1, x0 - column.x1);
    let swallowed = 0;
    for (let index = first; index < last; index++) swallowed += stretches[index + 1]!.x0 - stretches[index]!.x1;
    let wrong = 0;
    for (const text of textsOf(first, last)) {
      if (valueTest(column.key, text) === false && ++wrong >= MAX_WRONG_COUNTED) break;
    }
    return distance + swallowed + wrong * WRONG_VALUE_COST;
  };

  // best[h][k]: cheapest way for the first h header columns to take the first k stretches.
  const n = header.length;
  const k = stretches.length;
  const best = Array.from({ length: n + 1 }, () => new Array<number>(k + 1).fill(Number.POSITIVE_INFINITY));
  const choice = Array.from({ length: n + 1 }, () => new Array<number>(k + 1).fill(-1));
  best[0]![0] = 0;
  for (let h = 1; h <= n; h++) {
    for (let taken = 0; taken <= k; taken++) {
      let cost = best[h - 1]![taken]! + EMPTY_COLUMN_COST;
      let from = taken;
      for (let start = Math.max(0, taken - MAX_RUN); start < taken; start++) {
        if (best[h - 1]![start]! >= cost) continue;
        const candidate = best[h - 1]![start]! + runCost(header[h - 1]!, start, taken - 1);
        if (candidate < cost) [cost, from] = [candidate, start];
      }
      best[h]![taken] = cost;
      choice[h]![taken] = from;
    }
  }
  const runs: ({ x0: number; x1: number } | undefined)[] = new Array(n);
  for (let h = n, taken = k; h > 0; h--) {
    const from = choice[h]![taken]!;
    runs[h - 1] = from === taken ? undefined : { x0: stretches[from]!.x0, x1: stretches[taken - 1]!.x1 };
    taken = from;
  }
  return columnsFromExtents(header, runs);
}

/** More stretches than any statement table has columns: a page of scattered text is not worth a long search. */
const MAX_STRETCHES = 24;

/** Joins the stretches across the narrowest gaps until at most `max` are left. */
function fewestStretches(stretches: { x0: number; x1: number }[], max: number): { x0: number; x1: number }[] {
  const joined = [...stretches];
  while (joined.length > max) {
    let narrowest = 1;
    for (let index = 2; index < joined.length; index++) {
      if (joined[index]!.x0 - joined[index - 1]!.x1 < joined[narrowest]!.x0 - joined[narrowest - 1]!.x1)
        narrowest = index;
    }
    joined.splice(narrowest - 1, 2, { x0: joined[narrowest - 1]!.x0, x1: joined[narrowest]!.x1 });
  }
  return joined;
}

/** Stretches of the x axis covered by at least one cell, left to right. */
function coveredStretches(cells: DataCell[]): { x0: number; x1: number }[] {
  const sorted = [...cells].sort((a, b) => a.x0 - b.x0);
  const stretches: { x0: number; x1: number }[] = [];
  for (const cell of sorted) {
    const last = stretches.at(-1);
    if (last && cell.x0 <= last.x1 + 0.5) last.x1 = Math.max(last.x1, cell.x1);
    else stretches.push({ x0: cell.x0, x1: cell.x1 });
  }
  return stretches;
}

/**
 * Boundaries halfway between neighbouring columns' data. A column without data on these rows stands where
 * its header label is, squeezed between its neighbours' data.
 */
function columnsFromExtents<K extends string>(
  header: HeaderCell<K>[],
  runs: ({ x0: number; x1: number } | undefined)[],
): Column<K>[] {
  const extents = header.map((column, index) => {
    const run = runs[index];
    if (run) return run;
    const left = runs.slice(0, index).reverse().find(Boolean)?.x1 ?? Number.NEGATIVE_INFINITY;
    const right = runs.slice(index + 1).find(Boolean)?.x0 ?? Number.POSITIVE_INFINITY;
    const x0 = Math.min(Math.max(column.x0, left), right);
    const x1 = Math.max(Math.min(column.x1, right), left);
    return x0 <= x1 ? { x0, x1 } : { x0: (left + right) / 2, x1: (left + right) / 2 };
  });
  return header.map((column, index) => ({
    key: column.key,
    left: index === 0 ? Number.NEGATIVE_INFINITY : (extents[index - 1]!.x1 + extents[index]!.x0) / 2,
    right: index === header.length - 1 ? Number.POSITIVE_INFINITY : (extents[index]!.x1 + extents[index + 1]!.x0) / 2,
  }));
}

/** Without data rows, boundaries halfway between the header labels. */
function columnsFromHeader<K extends string>(header: HeaderCell<K>[]): Column<K>[] {
  return columnsFromExtents(
    header,
    header.map((column) => ({ x0: column.x0, x1: column.x1 })),
  );
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

const GROUPED_NUMBER = new RegExp(`^[${MINUS_SIGNS}]?(\\d{1,3}(\\s\\d{3})+|\\d+)(,\\d+)?( ?%)?$`);

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
