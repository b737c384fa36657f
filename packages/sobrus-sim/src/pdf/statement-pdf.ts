import PDFDocument from 'pdfkit';
import type { LedgerLine } from '../domain/ledger.js';
import { formatAmount, separatorAt, type ThousandsSeparator } from '../domain/money.js';
import type { StatementData, StatementRow } from '../domain/statement.js';
import { type FontName, installStatementFonts } from './fonts.js';
import * as L from './statement-layout.js';

export interface StatementDocument {
  pharmacyName: string;
  customerName: string;
  statement: StatementData;
  pageSize?: L.PdfPageSize;
}

export interface RenderedStatement {
  pdf: Buffer;
  pages: number;
  /** Page (1-based) on which each statement row starts. */
  rowPages: number[];
}

/** Fixed so that the same statement always gives the same bytes. */
const CREATION_DATE = new Date(Date.UTC(2017, 0, 1));

/** Renders the "relevé client détaillé" (advanced type: product lines under each transaction). */
export function renderStatementPdf(input: StatementDocument): Promise<RenderedStatement> {
  const doc = new PDFDocument({
    size: [...L.PAGE_SIZES[input.pageSize ?? 'A4']],
    margins: { top: L.TOP_Y, bottom: 10, left: L.MARGIN_X, right: L.MARGIN_X },
    bufferPages: true,
    autoFirstPage: true,
    // No default Helvetica: loading its metrics costs time and the statement never uses it.
    font: null as unknown as string,
    info: { Title: 'Relevé client détaillé', Producer: 'Sobrus', Creator: 'Sobrus', CreationDate: CREATION_DATE },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  installStatementFonts(doc);
  const writer = new StatementWriter(doc);
  const rowPages = writer.write(input);
  const pages = writer.finish();
  doc.end();
  return finished.then((pdf) => ({ pdf, pages, rowPages }));
}

/** A header row: titles left-aligned at an x, and titles right-aligned to an edge. */
interface ColumnTitles {
  left: [title: string, x: number][];
  right: [title: string, rightEdge: number][];
}

/** The header over the transaction rows, then the one over their product lines. */
const TRANSACTION_TITLES: ColumnTitles = {
  left: [
    ['Date', L.DATE_X],
    ['Transaction N°', L.REFERENCE_X],
    ['Libellé', L.LABEL_X],
  ],
  right: [
    ['Total', L.TOTAL_RIGHT],
    ['Solde', L.BALANCE_RIGHT],
  ],
};
const PRODUCT_TITLES: ColumnTitles = {
  left: [['Produit', L.PRODUCT_X]],
  right: [
    ['Qté', L.QUANTITY_RIGHT],
    ['P.U.', L.UNIT_PRICE_RIGHT],
    ['Remise', L.DISCOUNT_RIGHT],
    ['P.U. remisé', L.DISCOUNTED_PRICE_RIGHT],
    ['Total', L.LINE_TOTAL_RIGHT],
  ],
};

/**
 * Text widths per font and size, shared by all documents: product names, labels and amounts repeat across
 * statements, and measuring is a large part of rendering time.
 */
const WIDTHS = new Map<string, number>();
const MAX_CACHED_WIDTHS = 200_000;

class StatementWriter {
  private y = L.TOP_Y;
  private page = 1;
  private fontSize = L.TEXT_SIZE;
  private fontName: FontName = 'regular';
  private readonly bottom: number;

  constructor(private readonly doc: PDFKit.PDFDocument) {
    this.bottom = doc.page.height - L.BOTTOM_GAP;
  }

  write({ pharmacyName, customerName, statement }: StatementDocument): number[] {
    this.font('bold', L.TITLE_SIZE);
    this.left('Relevé client détaillé', L.MARGIN_X);
    this.y += L.TITLE_SIZE + 6;
    this.font('regular', L.TEXT_SIZE + 1);
    this.wrapped(pharmacyName, L.MARGIN_X, 520);
    this.wrapped(`Client : ${customerName}`, L.MARGIN_X, 520);
    this.wrapped(`Période : du ${statement.startDate} au ${statement.endDate}`, L.MARGIN_X, 520);
    this.y += 4;
    this.font('bold', L.TEXT_SIZE + 1);
    this.left(`Solde initial : ${formatAmount(statement.openingBalance, '\u202f')}`, L.MARGIN_X);
    this.y += L.TEXT_SIZE + 8;
    this.tableHeader();
    const rowPages = statement.rows.map((row, index) => this.row(row, index));
    this.ensureRoom(L.TEXT_SIZE + 10);
    this.y += 4;
    this.font('bold', L.TEXT_SIZE + 1);
    this.left(`Solde final : ${formatAmount(statement.closingBalance, '\u202f')}`, L.MARGIN_X);
    return rowPages;
  }

  /** Writes "Page n / total" on every page; returns the page count. */
  finish(): number {
    const range = this.doc.bufferedPageRange();
    for (let index = range.start; index < range.start + range.count; index++) {
      this.doc.switchToPage(index);
      this.font('regular', L.PRODUCT_SIZE);
      const text = `Page ${index + 1} / ${range.count}`;
      const x = (this.doc.page.width - this.doc.widthOfString(text)) / 2;
      this.doc.text(text, x, this.doc.page.height - L.FOOTER_GAP, { lineBreak: false });
    }
    return range.count;
  }

  private row(row: StatementRow, index: number): number {
    this.font('regular', L.TEXT_SIZE);
    const labelHeight = this.heightOf(row.label, L.LABEL_WIDTH);
    this.ensureRoom(labelHeight);
    const page = this.page;
    const separator = (column: number) => separatorAt(index + column);
    this.left(row.date, L.DATE_X);
    this.left(row.reference, L.REFERENCE_X);
    this.text(row.label, L.LABEL_X, L.LABEL_WIDTH);
    this.right(formatAmount(row.total, separator(0)), L.TOTAL_RIGHT);
    this.right(formatAmount(row.balance, separator(1)), L.BALANCE_RIGHT);
    this.y += labelHeight + L.ROW_GAP;
    row.lines.forEach((line, lineIndex) => {
      this.productLine(line, (column) => separator(lineIndex + column));
    });
    return page;
  }

  private productLine(line: LedgerLine, separator: (column: number) => ThousandsSeparator): void {
    this.font('regular', L.PRODUCT_SIZE);
    const height = this.heightOf(line.product, L.PRODUCT_WIDTH);
    this.ensureRoom(height);
    this.text(line.product, L.PRODUCT_X, L.PRODUCT_WIDTH);
    this.right(line.quantity.toString(), L.QUANTITY_RIGHT);
    this.right(formatAmount(line.unitPrice, separator(0)), L.UNIT_PRICE_RIGHT);
    this.right(`${line.discount} %`, L.DISCOUNT_RIGHT);
    this.right(formatAmount(line.discountedUnitPrice, separator(1)), L.DISCOUNTED_PRICE_RIGHT);
    this.right(formatAmount(line.total, separator(2)), L.LINE_TOTAL_RIGHT);
    this.y += height + L.ROW_GAP;
  }

  private tableHeader(): void {
    this.titles(L.TEXT_SIZE, L.ROW_GAP, TRANSACTION_TITLES);
    this.titles(L.PRODUCT_SIZE, 3, PRODUCT_TITLES);
    this.doc
      .moveTo(L.MARGIN_X, this.y)
      .lineTo(this.doc.page.width - L.MARGIN_X, this.y)
      .lineWidth(0.5)
      .stroke();
    this.y += 4;
  }

  /** One row of column titles in bold: the left-aligned ones, then the right-aligned ones. */
  private titles(size: number, gap: number, { left, right }: ColumnTitles): void {
    this.font('bold', size);
    for (const [title, x] of left) this.left(title, x);
    for (const [title, rightEdge] of right) this.right(title, rightEdge);
    this.y += size + gap;
  }

  /** Starts a new page (with the repeated header) when the next block does not fit; keeps the caller's font. */
  private ensureRoom(height: number): void {
    if (this.y + height <= this.bottom) return;
    const [name, size] = [this.fontName, this.fontSize];
    this.doc.addPage();
    this.page += 1;
    this.y = L.TOP_Y;
    this.tableHeader();
    this.font(name, size);
  }

  private heightOf(text: string, width: number): number {
    if (this.widthOf(text) <= width) return this.fontSize * 1.17;
    return this.doc.heightOfString(text, { width });
  }

  private font(name: FontName, size: number): void {
    this.doc.font(name).fontSize(size);
    this.fontName = name;
    this.fontSize = size;
  }

  private widthOf(text: string): number {
    // Keyed by size too: a width is always the same computation, so the bytes never depend on cache history.
    const key = `${this.fontName}\u0000${this.fontSize}\u0000${text}`;
    let width = WIDTHS.get(key);
    if (width === undefined) {
      if (WIDTHS.size >= MAX_CACHED_WIDTHS) WIDTHS.clear();
      width = this.doc.widthOfString(text);
      WIDTHS.set(key, width);
    }
    return width;
  }

  private wrapped(text: string, x: number, width: number): void {
    const height = this.heightOf(text, width);
    this.text(text, x, width);
    this.y += height + 1;
  }

  private text(text: string, x: number, width: number): void {
    if (this.widthOf(text) <= width) this.left(text, x);
    else this.doc.text(text, x, this.y, { width, lineBreak: true });
  }

  private left(text: string, x: number): void {
    this.doc.text(text, x, this.y, { lineBreak: false });
  }

  private right(text: string, rightEdge: number): void {
    this.doc.text(text, rightEdge - this.widthOf(text), this.y, { lineBreak: false });
  }
}
