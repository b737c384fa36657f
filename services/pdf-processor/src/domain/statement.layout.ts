import { parseCents, parseDecimal } from './amount.js';
import { assignCells, buildColumns, type Column, type ColumnSpec, matchHeader, onlyInColumn } from './columns.js';
import { parseDate } from './date.js';
import { normalizeText } from './kind.js';
import { groupLines, type Line } from './lines.js';
import type { Anomaly } from './statement.types.js';
import type { PageText } from './text-item.js';

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
  /** Rows that look like table rows but could not be read (each breaks the balance chain). */
  anomalies: Anomaly[];
  pages: number;
  /** Whether any transaction table header was found. */
  sawTable: boolean;
}

const isMainNumber = (key: MainKey, text: string) =>
  (key === 'total' || key === 'balance') && parseCents(text) !== undefined;
const isProductNumber = (key: ProductKey, text: string) => key !== 'product' && parseDecimal(text) !== undefined;

const MAYBE_SPECIAL = /solde|date|produit|d[ée]signation|page|^\d+ ?\/ ?\d+$/i;
const FOOTER = /^(page \d+( ?(\/|sur|of) ?\d+)?|\d+ ?\/ ?\d+)$/;

/** Reads a statement's lines into balances, transactions and their product lines, from geometry alone. */
export function readStatementLayout(pages: PageText[]): StatementLayout {
  const result: StatementLayout = {
    openingCents: undefined,
    closingCents: undefined,
    transactions: [],
    anomalies: [],
    pages: pages.length,
    sawTable: false,
  };
  let main: Column<MainKey>[] | undefined;
  let product: Column<ProductKey>[] | undefined;
  // The row the next wrapped line may belong to.
  let last: { line: Line; target: { label: string } | { product: string }; column: 'label' | 'product' } | undefined;

  for (const page of pages) {
    const lines = groupLines(page);
    for (const [index, line] of lines.entries()) {
      // Only lines that may be a balance, a header or a footer need the (slower) normalized text.
      const norm = MAYBE_SPECIAL.test(line.text) ? normalizeText(line.text) : '';
      const balanceLine = /^solde (initial|final)\b/.exec(norm);
      if (balanceLine) {
        const cents = parseCents(line.text.replace(/^[^:]*:/, '').replace(/^\D*?(?=[-\u2212\d])/, ''));
        if (balanceLine[1] === 'initial') result.openingCents ??= cents;
        else result.closingCents = cents;
        last = undefined;
        continue;
      }
      if (norm.includes('solde') && norm.includes('date')) {
        const header = matchHeader(line, MAIN_HEADER);
        if (header) {
          main = buildColumns(header, tableRows(lines.slice(index + 1)));
          result.sawTable = true;
          last = undefined;
          continue;
        }
      }
      if (norm.includes('produit') || norm.includes('designation')) {
        const header = matchHeader(line, PRODUCT_HEADER);
        if (header) {
          product = buildColumns(header, productRows(lines.slice(index + 1)));
          last = undefined;
          continue;
        }
      }
      if (!main || FOOTER.test(norm)) continue;

      // Only a line that starts with a date can be a transaction row; others skip the column work.
      const cells = DATE_START.test(line.text) ? assignCells(line, main, isMainNumber) : undefined;
      const date = cells && parseDate(cells.date);
      if (cells && date) {
        const totalCents = parseCents(cells.total);
        const balanceCents = parseCents(cells.balance);
        if (totalCents === undefined || balanceCents === undefined) {
          result.anomalies.push({
            kind: 'balance_chain_break',
            message: `row of ${date} has no readable ${totalCents === undefined ? 'total' : 'balance'}`,
            page: line.page,
            line: line.number,
            reference: cells.reference,
          });
          last = undefined;
          continue;
        }
        const transaction: RawTransaction = {
          date,
          reference: cells.reference,
          label: cells.label,
          totalCents: Math.abs(totalCents),
          balanceCents,
          page: line.page,
          line: line.number,
          lines: [],
        };
        result.transactions.push(transaction);
        last = { line, target: transaction, column: 'label' };
        continue;
      }

      const owner = result.transactions.at(-1);
      if (product && owner) {
        const productLine = readProductLine(line, product);
        if (productLine) {
          owner.lines.push(productLine.line);
          last = { line, target: productLine.line, column: 'product' };
          continue;
        }
      }

      if (last && isContinuation(last.line, line)) {
        const columns = last.column === 'label' ? main : product;
        if (columns && onlyInColumn(line, columns as Column<string>[], last.column)) {
          if ('label' in last.target) last.target.label = `${last.target.label} ${line.text}`.trim();
          else last.target.product = `${last.target.product} ${line.text}`.trim();
          last = { ...last, line };
        }
      }
    }
    // A row never continues across a page break: the next page starts with its header.
    last = undefined;
  }
  return result;
}

function readProductLine(line: Line, columns: Column<ProductKey>[]): { line: RawProductLine } | undefined {
  const cells = assignCells(line, columns, isProductNumber);
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
  return {
    line: { product: cells.product, quantity, unitPriceCents, discount, discountedUnitPriceCents, totalCents },
  };
}

/** Directly below the previous line of the row, not further than one and a half lines away. */
function isContinuation(previous: Line, line: Line): boolean {
  if (previous.page !== line.page) return false;
  const gap = previous.y - line.y;
  return gap > 0 && gap <= 1.8 * Math.max(previous.height, line.height);
}

const DATE_START = /^(\d{4}-\d{2}-\d{2}|\d{2}\/\d{2}\/\d{4})\b/;

/** Lines that start with a date: the rows whose geometry refines the main columns. */
function tableRows(lines: Line[]): Line[] {
  return lines.filter((line) => DATE_START.test(line.text)).slice(0, 200);
}

/** Undated lines ending with a decimal amount: the product lines whose geometry refines the product columns. */
function productRows(lines: Line[]): Line[] {
  return lines
    .filter((line) => !DATE_START.test(line.text) && /\d,\d{2}$/.test(line.items.at(-1)?.str.trim() ?? ''))
    .slice(0, 200);
}
