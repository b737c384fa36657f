import { MINUS_SIGNS, parseCents, parseDecimal } from './amount.js';
import {
  assignCells,
  buildColumns,
  type Column,
  type ColumnSpec,
  cellsOf,
  type HeaderCell,
  headerVocabulary,
  matchHeader,
  wordsOf,
} from './columns.js';
import { parseDate } from './date.js';
import { joinWrapped, normalizePages } from './glyphs.js';
import { normalizeText } from './kind.js';
import { groupLines, type Line } from './lines.js';
import type { Anomaly } from './statement.types.js';
import type { PageText } from './text-item.js';
import { assignOwners, detectAlignment, type Stretch } from './vertical-alignment.js';

type MainKey = 'date' | 'reference' | 'label' | 'total' | 'balance';
type ProductKey = 'product' | 'quantity' | 'unitPrice' | 'discount' | 'discountedUnitPrice' | 'total';

const MAIN_HEADER: ColumnSpec<MainKey>[] = [
  { key: 'date', labels: [['date']] },
  { key: 'reference', labels: [['transaction', 'n°'], ['transaction'], ['n°'], ['reference']] },
  { key: 'label', labels: [['libelle']] },
  { key: 'total', labels: [['total'], ['montant']] },
  { key: 'balance', labels: [['solde']] },
];

const PRODUCT_HEADER: ColumnSpec<ProductKey>[] = [
  { key: 'product', labels: [['produit'], ['designation']] },
  { key: 'quantity', labels: [['qte'], ['quantite']] },
  { key: 'unitPrice', labels: [['p.u.'], ['pu'], ['prix', 'unitaire']] },
  { key: 'discount', labels: [['remise']] },
  {
    key: 'discountedUnitPrice',
    labels: [
      ['p.u.', 'remise'],
      ['pu', 'remise'],
      ['prix', 'remise'],
    ],
  },
  { key: 'total', labels: [['total']] },
];

const HEADER_WORDS = headerVocabulary(MAIN_HEADER, PRODUCT_HEADER);

export interface RawProductLine {
  product: string;
  quantity: number;
  unitPriceCents: number;
  discount: number;
  discountedUnitPriceCents: number;
  totalCents: number;
}

export interface RawTransaction {
  date: string;
  reference: string;
  label: string;
  totalCents: number;
  balanceCents: number;
  page: number;
  line: number;
  lines: RawProductLine[];
}

export interface StatementLayout {
  openingCents: number | undefined;
  closingCents: number | undefined;
  transactions: RawTransaction[];
  /** Rows that look like table rows but could not be read. */
  anomalies: Anomaly[];
  pages: number;
  /** Whether any transaction table header was found. */
  sawTable: boolean;
}

const isMainValue = (key: MainKey, text: string) =>
  key === 'date'
    ? parseDate(text) !== undefined
    : key === 'total' || key === 'balance'
      ? parseCents(text) !== undefined
      : undefined;
const isProductValue = (key: ProductKey, text: string) =>
  key === 'product'
    ? undefined
    : key === 'quantity' || key === 'discount'
      ? parseDecimal(text) !== undefined
      : parseCents(text) !== undefined;
const isMainNumber = (key: MainKey, text: string) =>
  (key === 'total' || key === 'balance') && parseCents(text) !== undefined;
const isProductNumber = (key: ProductKey, text: string) => key !== 'product' && parseDecimal(text) !== undefined;

const MAYBE_SPECIAL = /solde|date|libell|produit|d[ée]signation|qt[ée]|page|\d ?\/ ?\d+$/i;
/** Line heights (in font sizes) beyond which a text line has no neighbour. */
const ISOLATION = 2.5;
const FOOTER = /^(page \d+( ?(\/|sur|of|de) ?\d+)?|\d+ ?\/ ?\d+)$/;
const DATE_WORD = /^(\d{4}-\d{2}-\d{2}|\d{2}\/\d{2}\/\d{4})$/;
const NUMERIC_WORD = new RegExp(`^([${MINUS_SIGNS}]?[\\d.,]+%?|%)$`);

/** A line of the table, once the page's columns are known. */
type TableLine =
  | { kind: 'row'; line: Line; columns: Column<MainKey>[] }
  | { kind: 'product'; line: Line; columns: Column<ProductKey>[] }
  | { kind: 'text'; line: Line; main: Column<MainKey>[]; product: Column<ProductKey>[] | undefined }
  | { kind: 'break' };

/** A row or product line with the wrapped lines that belong to it. */
interface Anchor {
  entry: Extract<TableLine, { kind: 'row' | 'product' }>;
  /** Text of the anchor's text columns, per line (the anchor's own line included), by baseline. */
  parts: { page: number; y: number; cells: Record<string, string> }[];
}

/** Reads a statement's lines into balances, transactions and their product lines, from geometry alone. */
export function readStatementLayout(rawPages: PageText[]): StatementLayout {
  const pages = normalizePages(rawPages);
  const result: StatementLayout = {
    openingCents: undefined,
    closingCents: undefined,
    transactions: [],
    anomalies: [],
    pages: pages.length,
    sawTable: false,
  };
  let mainHeader: HeaderCell<MainKey>[] | undefined;
  let productHeader: HeaderCell<ProductKey>[] | undefined;
  let previousMain: Column<MainKey>[] | undefined;
  let ended = false;
  const pageTables: PageTable[] = [];

  for (const page of pages) {
    const lines = groupLines(page);
    const endedBefore = ended;
    const marks = new Map<number, 'main' | 'product' | 'skip'>();
    const headers = new Map<number, { main?: HeaderCell<MainKey>[]; product?: HeaderCell<ProductKey>[] }>();
    for (const [index, line] of lines.entries()) {
      if (marks.has(index)) continue;
      // Only lines that may be a balance, a header or a footer need the (slower) normalized text.
      const norm = MAYBE_SPECIAL.test(line.text) ? normalizeText(line.text) : '';
      const balance = /^solde (initial|final)\b/.exec(norm);
      if (balance) {
        const cents = parseCents(
          line.text.replace(/^[^:]*:/, '').replace(new RegExp(`^\\D*?(?=[${MINUS_SIGNS}\\d])`), ''),
        );
        if (balance[1] === 'initial') result.openingCents ??= cents;
        else {
          result.closingCents = cents;
          ended = true;
        }
        marks.set(index, 'skip');
        continue;
      }
      if (FOOTER.test(norm)) {
        marks.set(index, 'skip');
        continue;
      }
      const main = MAIN_TRIGGER.test(norm) ? findHeader(lines, index, MAIN_HEADER, PRODUCT_TRIGGER) : undefined;
      const product =
        !main && PRODUCT_TRIGGER.test(norm) ? findHeader(lines, index, PRODUCT_HEADER, MAIN_TRIGGER) : undefined;
      const found = main ?? product;
      if (!found) continue;
      for (const used of found.lines) marks.set(used, 'skip');
      marks.set(found.lines[0]!, main ? 'main' : 'product');
      headers.set(found.lines[0]!, main ? { main: main.cells } : { product: product!.cells });
    }

    // The table on this page: after its main header (or from the top when the table goes on from the page
    // before), up to the closing balance.
    const firstHeader = [...marks.entries()].find(([, mark]) => mark === 'main')?.[0];
    const tableStart = firstHeader ?? (mainHeader && !endedBefore ? 0 : lines.length);
    const closing = lines.findIndex(
      (line) => /^solde final\b/i.test(line.text) || /^solde final\b/.test(normalizeText(line.text.slice(0, 20))),
    );
    const tableEnd = closing >= 0 ? closing : lines.length;
    const table = lines
      .map((line, index) => ({ line, index }))
      .filter(({ index }) => index >= tableStart && index < tableEnd);
    if (firstHeader !== undefined) result.sawTable = true;

    mainHeader = headers.get(firstHeader ?? -1)?.main ?? mainHeader;
    if (!mainHeader) {
      pageTables.push({ entries: [], endsTable: false });
      continue;
    }
    const datedLines = table
      .filter(({ index, line }) => !marks.has(index) && startsWithDate(line))
      .map(({ line }) => line);
    const mainColumns =
      datedLines.length > 0 || !previousMain ? buildColumns(mainHeader, datedLines, isMainValue) : previousMain;
    previousMain = mainColumns;

    // Product tables: each product header starts a stretch of lines with its own columns (a producer may size
    // every nested table to its content); lines before the first one on the page use the last header seen.
    const entries: TableLine[] = [];
    let segment: { header: HeaderCell<ProductKey>[] | undefined; lines: Line[]; columns?: Column<ProductKey>[] } = {
      header: productHeader,
      lines: [],
    };
    const segments = [segment];
    const segmentOf = new Map<Line, typeof segment>();
    for (const { line, index } of table) {
      const mark = marks.get(index);
      if (mark === 'product') {
        productHeader = headers.get(index)?.product ?? productHeader;
        segment = { header: productHeader, lines: [] };
        segments.push(segment);
        continue;
      }
      if (mark) continue;
      segmentOf.set(line, segment);
      if (!startsWithDate(line) && looksLikeProductLine(line)) segment.lines.push(line);
    }
    for (const item of segments) {
      if (item.header) item.columns = buildColumns(item.header, item.lines, isProductValue);
    }

    for (const { line, index } of table) {
      const mark = marks.get(index);
      if (mark === 'main' || mark === 'product') {
        entries.push({ kind: 'break' });
        continue;
      }
      if (mark) continue;
      const productSegment = segmentOf.get(line);
      const productColumns = productSegment?.columns;
      if (startsWithDate(line)) {
        const columns = readableColumns(line, mainColumns, mainHeader, isMainValue, readsAsRow);
        entries.push({ kind: 'row', line, columns });
      } else if (productColumns && productSegment.header && looksLikeProductLine(line)) {
        const columns = readableColumns(line, productColumns, productSegment.header, isProductValue, readsAsProduct);
        entries.push({ kind: 'product', line, columns });
      } else if (!isolated(lines, index))
        entries.push({ kind: 'text', line, main: mainColumns, product: productColumns });
    }
    pageTables.push({ entries, endsTable: closing >= 0 });
  }

  assembleRows(pageTables, result);
  return result;
}

const MAIN_TRIGGER = /\b(date|solde|libelle)\b/;
const PRODUCT_TRIGGER = /\b(produit|designation|qte)\b/;

/**
 * A header on this line, possibly wrapped over the lines just above and below it: lines made only of header
 * words (and not of the other table's header) are part of it.
 */
function findHeader<K extends string>(
  lines: Line[],
  index: number,
  spec: ColumnSpec<K>[],
  otherHeader: RegExp,
): { cells: HeaderCell<K>[]; lines: number[] } | undefined {
  if (!headerLike(lines[index]!)) return undefined;
  const near = (other: Line | undefined, from: Line) => {
    if (!other || Math.abs(other.y - from.y) > 1.6 * Math.max(other.height, from.height)) return false;
    const words = wordsOf(other);
    return words.every(isHeaderWordOrPiece) && !otherHeader.test(words.join(' '));
  };
  const above: number[] = [];
  for (let at = index - 1; at >= 0 && above.length < 2 && near(lines[at], lines[at + 1]!); at--) above.unshift(at);
  const below: number[] = [];
  for (let at = index + 1; at < lines.length && below.length < 2 && near(lines[at], lines[at - 1]!); at++)
    below.push(at);
  const bands: number[][] = [[index]];
  for (let up = 0; up <= above.length; up++) {
    for (let down = 0; down <= below.length; down++) {
      if (up + down > 0) bands.push([...above.slice(above.length - up), index, ...below.slice(0, down)]);
    }
  }
  bands.sort((a, b) => b.length - a.length);
  for (const band of bands) {
    const cells = matchHeader(
      band.map((at) => lines[at]!),
      spec,
    );
    if (cells) return { cells, lines: band };
  }
  return undefined;
}

/** A header word, or a piece of one broken over two lines by a narrow cell. */
function isHeaderWordOrPiece(word: string): boolean {
  if (HEADER_WORDS.has(word)) return true;
  for (const known of HEADER_WORDS)
    if (known.length > word.length && (known.startsWith(word) || known.endsWith(word))) return true;
  return false;
}

/** No figures, and mostly the headers' own words (a header may carry a word we do not know, like a currency). */
function headerLike(line: Line): boolean {
  const words = wordsOf(line);
  if (words.some((word) => /\d/.test(word))) return false;
  return words.filter(isHeaderWordOrPiece).length >= (2 / 3) * words.length;
}

/**
 * The page's columns, or the line's own when the page's do not read it: a producer may lay every part of a
 * table out on its own (LibreOffice sizes each table to its content), so one page can hold several layouts.
 */
function readableColumns<K extends string>(
  line: Line,
  columns: Column<K>[],
  header: HeaderCell<K>[],
  valueTest: (key: K, text: string) => boolean | undefined,
  reads: (line: Line, columns: Column<K>[]) => boolean,
): Column<K>[] {
  if (reads(line, columns)) return columns;
  const own = buildColumns(header, [line], valueTest);
  return reads(line, own) ? own : columns;
}

function readsAsRow(line: Line, columns: Column<MainKey>[]): boolean {
  const cells = assignCells(line, columns, isMainNumber);
  return (
    parseDate(cells.date) !== undefined &&
    parseCents(cells.total) !== undefined &&
    parseCents(cells.balance) !== undefined
  );
}

function readsAsProduct(line: Line, columns: Column<ProductKey>[]): boolean {
  return readProductCells(assignCells(line, columns, isProductNumber)) !== undefined;
}

function readProductCells(cells: Record<ProductKey, string>): Omit<RawProductLine, 'product'> | undefined {
  const quantity = parseDecimal(cells.quantity);
  const unitPriceCents = parseCents(cells.unitPrice);
  const discount = parseDecimal(cells.discount);
  const discountedUnitPriceCents = parseCents(cells.discountedUnitPrice);
  const totalCents = parseCents(cells.total);
  if (
    quantity === undefined ||
    unitPriceCents === undefined ||
    discount === undefined ||
    discountedUnitPriceCents === undefined ||
    totalCents === undefined
  ) {
    return undefined;
  }
  return { quantity, unitPriceCents, discount, discountedUnitPriceCents, totalCents };
}

/**
 * A text line far from every other line of its page: page furniture (a running header, a browser's print
 * footer with the file name and page number), never the wrapped text of a cell.
 */
function isolated(lines: Line[], index: number): boolean {
  const line = lines[index]!;
  const far = (other: Line | undefined) =>
    !other || Math.abs(other.y - line.y) > ISOLATION * Math.max(other.height, line.height);
  return far(lines[index - 1]) && far(lines[index + 1]);
}

function startsWithDate(line: Line): boolean {
  const first = line.text.split(' ', 1)[0] ?? '';
  return DATE_WORD.test(first);
}

/** An undated line that ends with at least four numbers, the last one an amount: quantity, prices, discount, total. */
function looksLikeProductLine(line: Line): boolean {
  const words = line.text.split(' ');
  if (!/\d,\d{2}$/.test(words.at(-1) ?? '')) return false;
  let numeric = 0;
  for (let index = words.length - 1; index >= 0 && NUMERIC_WORD.test(words[index]!); index--) numeric++;
  return numeric >= 4;
}

/**
 * Rows and product lines with the wrapped lines of their text cells, however the producer aligns cells
 * vertically (see `vertical-alignment.ts`). A wrapped line that opens a page without a header may continue the
 * last row of the page before.
 */
function assembleRows(pageTables: PageTable[], result: StatementLayout): void {
  const firstPage = pageTables.findIndex((table) => table.entries.length > 0);
  const stretches = pageTables.flatMap((table, index) => toStretches(table, index === firstPage));
  const alignment = detectAlignment(stretches.map((stretch) => stretch.stretch));
  let last: Anchor | undefined;
  const anchors: Anchor[] = [];
  for (const { stretch, entries } of stretches) {
    const owners = assignOwners(stretch, alignment);
    const byIndex = new Map<number, Anchor>();
    entries.forEach((entry, index) => {
      if (entry.kind === 'text') return;
      const anchor: Anchor = { entry, parts: [{ page: entry.line.page, y: entry.line.y, cells: textCells(entry) }] };
      byIndex.set(index, anchor);
      anchors.push(anchor);
    });
    entries.forEach((entry, index) => {
      if (entry.kind !== 'text') return;
      const owner = owners[index] === 'previous' ? last : byIndex.get(owners[index] as number);
      owner?.parts.push({
        page: entry.line.page,
        y: entry.line.y,
        cells: fragmentCells(entry.line, owner.entry.columns),
      });
    });
    last = [...byIndex.values()].at(-1) ?? last;
  }
  for (const anchor of anchors) readAnchor(anchor, result);
}

type Entry = Exclude<TableLine, { kind: 'break' }>;

interface PageTable {
  entries: TableLine[];
  /** The closing balance is on this page. */
  endsTable: boolean;
}

/**
 * A page's table lines cut at its headers. Only the table's first page starts afresh after its header: on the
 * next ones a row cut by the page break may go on below the repeated header.
 */
function toStretches({ entries, endsTable }: PageTable, tableStart: boolean): { stretch: Stretch; entries: Entry[] }[] {
  const out: { stretch: Stretch; entries: Entry[] }[] = [];
  let current: Entry[] = [];
  let afterHeader = false;
  let seenLine = tableStart;
  const close = (beforeHeader: boolean) => {
    if (current.length > 0) {
      const lines = current.map((entry) => ({
        y: entry.line.y,
        size: entry.line.height,
        anchor: entry.kind !== 'text',
      }));
      out.push({ stretch: { lines, afterHeader, beforeHeader }, entries: current });
    }
    current = [];
  };
  for (const entry of entries) {
    if (entry.kind === 'break') {
      close(true);
      afterHeader = seenLine;
      continue;
    }
    seenLine = true;
    current.push(entry);
  }
  close(endsTable);
  return out;
}

function textCells(entry: Extract<TableLine, { kind: 'row' | 'product' }>): Record<string, string> {
  if (entry.kind === 'row') {
    const cells = assignCells(entry.line, entry.columns, isMainNumber);
    return { reference: cells.reference, label: cells.label };
  }
  const cells = assignCells(entry.line, entry.columns, isProductNumber);
  return { product: cells.product };
}

/**
 * A wrapped line's text, cell by cell: a cell lying wholly inside the reference column continues the reference,
 * one reaching into the label (or product) column continues the label (or the product name).
 */
function fragmentCells(line: Line, columns: Column<string>[]): Record<string, string> {
  const reference = columns.find((column) => column.key === 'reference');
  const main = columns.find((column) => column.key === 'label') ?? columns.find((column) => column.key === 'product');
  const out: Record<string, string[]> = {};
  for (const cell of cellsOf(line)) {
    const key =
      reference && cell.x0 >= reference.left && cell.x1 <= reference.right
        ? 'reference'
        : main && cell.x1 > main.left && cell.x0 < main.right
          ? main.key
          : undefined;
    // Text beside the table's text columns (in a margin, under an amount) is not part of the cell.
    if (key) out[key] = [...(out[key] ?? []), cell.text];
  }
  return Object.fromEntries(Object.entries(out).map(([key, texts]) => [key, texts.join(' ')]));
}

function joined(anchor: Anchor, key: string): string {
  return joinWrapped(
    [...anchor.parts].sort((a, b) => a.page - b.page || b.y - a.y).map((part) => part.cells[key] ?? ''),
  );
}

function readAnchor(anchor: Anchor, result: StatementLayout): void {
  const { entry } = anchor;
  if (entry.kind === 'row') {
    const cells = assignCells(entry.line, entry.columns, isMainNumber);
    const date = parseDate(cells.date);
    const reference = joined(anchor, 'reference');
    const totalCents = parseCents(cells.total);
    const balanceCents = parseCents(cells.balance);
    if (!date || totalCents === undefined || balanceCents === undefined) {
      const missing = !date ? 'date' : totalCents === undefined ? 'total' : 'balance';
      result.anomalies.push({
        kind: 'balance_chain_break',
        message: `row ${reference || entry.line.text.slice(0, 40)} has no readable ${missing}: it is left out`,
        page: entry.line.page,
        line: entry.line.number,
        reference,
      });
      return;
    }
    result.transactions.push({
      date,
      reference,
      label: joined(anchor, 'label'),
      totalCents: Math.abs(totalCents),
      balanceCents,
      page: entry.line.page,
      line: entry.line.number,
      lines: [],
    });
    return;
  }
  const owner = result.transactions.at(-1);
  const values = readProductCells(assignCells(entry.line, entry.columns, isProductNumber));
  if (!owner || !values) {
    result.anomalies.push({
      kind: 'unreadable_product_line',
      message: owner
        ? 'a product line could not be read into its columns: it is left out'
        : 'a product line comes before any transaction: it is left out',
      page: entry.line.page,
      line: entry.line.number,
      ...(owner ? { reference: owner.reference } : {}),
    });
    return;
  }
  owner.lines.push({ product: joined(anchor, 'product'), ...values });
}
