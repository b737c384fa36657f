/**
 * Writes the producer corpus: the same ground-truth statements printed by three independent programs
 * (the simulator's pdfkit, Chromium's print-to-PDF, LibreOffice headless), each PDF beside the JSON a correct
 * parser must read from it. Needs Chromium (CHROMIUM_PATH) and LibreOffice (`soffice`) from Debian's packages.
 *
 *   node --import tsx services/pdf-processor/test/corpus/generate.ts
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { renderStatementPdf } from '@pharma/sobrus-sim';
import { chromium } from 'playwright-core';
import { type HtmlVariant, statementHtml } from './html-statement.js';
import { type CorpusStatement, corpusStatements, expectedOf } from './statements.js';

const run = promisify(execFile);
export const CORPUS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'producers');

const base: Omit<HtmlVariant, 'name'> = {
  headerAlign: 'left',
  amountAlign: 'right',
  verticalAlign: 'top',
  font: 'DejaVu Sans',
  fontSizePt: 9,
  page: 'A4',
  widths: [12, 14, 44, 15, 15],
  repeatHeader: true,
  products: 'nested',
  minus: '-',
};
const NARROW: HtmlVariant['widths'] = [14, 16, 28, 21, 21];

export const CHROMIUM_VARIANTS: HtmlVariant[] = [
  { ...base, name: 'left-top-dejavu-a4-wide' },
  {
    ...base,
    name: 'center-middle-liberation-letter-narrow',
    headerAlign: 'center',
    verticalAlign: 'middle',
    font: 'Liberation Sans',
    page: 'Letter',
    widths: NARROW,
  },
  {
    ...base,
    name: 'right-top-liberation-serif-a4-narrow-once-products-once',
    headerAlign: 'right',
    font: 'Liberation Serif',
    fontSizePt: 10,
    widths: NARROW,
    repeatHeader: false,
    products: 'fixed-once',
    minus: '\u2212',
  },
  {
    ...base,
    name: 'left-middle-dejavu-letter-wide-spaced-products-once',
    verticalAlign: 'middle',
    fontSizePt: 8,
    page: 'Letter',
    products: 'fixed-once',
    letterSpacingPt: 0.3,
  },
  {
    ...base,
    name: 'center-top-dejavu-serif-a4-narrow-amounts-left',
    headerAlign: 'center',
    font: 'DejaVu Serif',
    widths: NARROW,
    amountAlign: 'left',
    minus: '\u2212',
  },
  {
    ...base,
    name: 'right-middle-liberation-a4-wide-once-amounts-centred',
    headerAlign: 'right',
    verticalAlign: 'middle',
    font: 'Liberation Sans',
    fontSizePt: 10,
    repeatHeader: false,
    amountAlign: 'center',
  },
  {
    ...base,
    name: 'left-bottom-dejavu-condensed-letter-narrow-tight',
    verticalAlign: 'bottom',
    font: 'DejaVu Sans Condensed',
    page: 'Letter',
    widths: NARROW,
    cellPaddingPt: 0,
  },
  {
    ...base,
    name: 'center-top-liberation-11pt-a4-narrow-glyph-spaced',
    headerAlign: 'center',
    font: 'Liberation Sans',
    fontSizePt: 11,
    widths: NARROW,
    letterSpacingPt: 1,
  },
  {
    ...base,
    name: 'right-middle-dejavu-serif-letter-wide-tight-once',
    headerAlign: 'right',
    verticalAlign: 'middle',
    font: 'DejaVu Serif',
    page: 'Letter',
    cellPaddingPt: 0.5,
    repeatHeader: false,
    minus: '\u2212',
  },
];

export const LIBREOFFICE_VARIANTS: HtmlVariant[] = [
  { ...base, name: 'left-top-dejavu-a4', productPlacement: 'between' },
  {
    ...base,
    name: 'right-middle-liberation-letter-narrow',
    productPlacement: 'between',
    headerAlign: 'right',
    verticalAlign: 'middle',
    font: 'Liberation Sans',
    page: 'Letter',
    widths: NARROW,
    minus: '\u2212',
  },
];

async function write(producer: string, name: string, statement: CorpusStatement, pdf: Buffer, pages: number) {
  const folder = join(CORPUS_DIR, producer);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, `${name}.pdf`), pdf);
  await writeFile(join(folder, `${name}.json`), `${JSON.stringify(expectedOf(statement, pages), null, 2)}\n`);
}

async function pageCount(pdf: Buffer): Promise<number> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const document = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
  const pages = document.numPages;
  await document.destroy();
  return pages;
}

async function printWithPdfkit(statements: CorpusStatement[]) {
  for (const [index, statement] of statements.entries()) {
    const pageSize = index % 2 === 0 ? 'A4' : 'LETTER';
    const rendered = await renderStatementPdf({
      pharmacyName: statement.pharmacyName,
      customerName: statement.customerName,
      pageSize,
      statement: {
        startDate: statement.startDate,
        endDate: statement.endDate,
        openingBalance: statement.openingCents,
        closingBalance: statement.closingCents,
        rows: statement.rows.map((row) => ({
          day: 0,
          date: row.date,
          reference: row.reference,
          label: row.label,
          kind: row.kind,
          total: row.totalCents,
          effect: row.effectCents,
          balance: row.balanceCents,
          lines: row.lines.map((line) => ({
            product: line.product,
            quantity: line.quantity,
            unitPrice: line.unitPriceCents,
            discount: line.discount,
            discountedUnitPrice: line.discountedUnitPriceCents,
            total: line.totalCents,
          })),
        })),
      },
    });
    await write('pdfkit', `${pageSize.toLowerCase()}--${statement.id}`, statement, rendered.pdf, rendered.pages);
  }
}

async function printWithChromium(statements: CorpusStatement[]) {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
  try {
    const page = await browser.newPage();
    for (const variant of CHROMIUM_VARIANTS) {
      for (const statement of statements) {
        await page.setContent(statementHtml(statement, variant), { waitUntil: 'load' });
        const pdf = await page.pdf({
          preferCSSPageSize: true,
          displayHeaderFooter: true,
          headerTemplate: '<span></span>',
          footerTemplate: `<div style="font-size:7pt;width:100%;text-align:center">Page <span class="pageNumber"></span> / <span class="totalPages"></span></div>`,
        });
        await write('chromium', `${variant.name}--${statement.id}`, statement, pdf, await pageCount(pdf));
      }
    }
  } finally {
    await browser.close();
  }
}

async function printWithLibreOffice(statements: CorpusStatement[]) {
  const work = await mkdtemp(join(tmpdir(), 'statement-corpus-'));
  try {
    const sources = new Map<string, { statement: CorpusStatement }>();
    for (const variant of LIBREOFFICE_VARIANTS) {
      for (const statement of statements) {
        const name = `${variant.name}--${statement.id}`;
        await writeFile(join(work, `${name}.html`), statementHtml(statement, variant));
        sources.set(name, { statement });
      }
    }
    const files = (await readdir(work)).filter((file) => file.endsWith('.html')).map((file) => join(work, file));
    await run(
      'soffice',
      [
        `-env:UserInstallation=file://${work}/profile`,
        '--headless',
        '--infilter=HTML (StarWriter)',
        '--convert-to',
        'pdf:writer_pdf_Export',
        '--outdir',
        work,
        ...files,
      ],
      { timeout: 600_000 },
    );
    for (const [name, { statement }] of sources) {
      const pdf = await readFile(join(work, `${name}.pdf`));
      await write('libreoffice', name, statement, pdf, await pageCount(pdf));
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const statements = corpusStatements();
const producers = { pdfkit: printWithPdfkit, chromium: printWithChromium, libreoffice: printWithLibreOffice };
const chosen = process.argv.length > 2 ? process.argv.slice(2) : Object.keys(producers);
for (const producer of chosen) {
  const print = producers[producer as keyof typeof producers];
  if (!print) throw new Error(`unknown producer ${producer}: one of ${Object.keys(producers).join(', ')}`);
  await rm(join(CORPUS_DIR, producer), { recursive: true, force: true });
  await print(statements);
}
console.log(`corpus written to ${CORPUS_DIR}`);
