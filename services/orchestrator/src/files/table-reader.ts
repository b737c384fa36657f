import { createReadStream, readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';

export type Row = string[];

/** Rows of an output file (first sheet of an xlsx, or a CSV with `,`, `;` or tab), every cell as text. */
export function readTable(file: string): AsyncGenerator<Row> {
  return extname(file).toLowerCase() === '.xlsx' ? readXlsxRows(file) : readCsv(file);
}

/** Below this size a CSV is read and parsed in one go (most outputs): cheaper than setting up a stream. */
const SMALL_CSV_BYTES = 1_048_576;

// Named rather than discovered: csv-parse's discovery of the record delimiter costs more than parsing a small file.
const CSV_OPTIONS = {
  bom: true,
  relax_column_count: true,
  skip_empty_lines: true,
  record_delimiter: ['\r\n', '\n', '\r'],
};

export interface OpenedTable {
  header: Row;
  /** The rows below the header when the whole file was read (a small CSV); otherwise read them with `bodyRows`. */
  body?: Row[];
}

/**
 * The header of an output, and its rows too when it is a small CSV (read once, synchronously: this runs in a
 * script worker thread, where a blocking read of a small local file is cheaper than an asynchronous one).
 */
export async function openTable(file: string, size?: number): Promise<OpenedTable> {
  if (extname(file).toLowerCase() !== '.xlsx' && (size ?? statSync(file).size) <= SMALL_CSV_BYTES) {
    const text = readFileSync(file, 'utf8');
    const [header = [], ...body] = parseSync(text, {
      ...CSV_OPTIONS,
      delimiter: delimiterOf(text.slice(0, 4096)),
    }) as Row[];
    return { header: header.map((cell) => cell.trim()), body };
  }
  return { header: await readHeader(file) };
}

/** The rows below the header: those already read, or read from `path`. */
export async function* bodyRows(path: string, body?: Row[]): AsyncGenerator<Row> {
  if (body) {
    yield* body;
    return;
  }
  let first = true;
  for await (const row of readTable(path)) {
    if (!first) yield row;
    first = false;
  }
}

export async function readHeader(file: string): Promise<Row> {
  for await (const row of readTable(file)) return row.map((cell) => cell.trim());
  return [];
}

async function* readCsv(file: string): AsyncGenerator<Row> {
  const delimiter = await sniffDelimiter(file);
  const parser = createReadStream(file).pipe(parse({ ...CSV_OPTIONS, delimiter }));
  for await (const record of parser) yield record as Row;
}

async function sniffDelimiter(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return delimiterOf(buffer.subarray(0, bytesRead).toString('utf8'));
  } finally {
    await handle.close();
  }
}

/** The most frequent of `,`, `;` and tab on the first line. */
function delimiterOf(start: string): string {
  const firstLine = start.split(/\r?\n/, 1)[0] ?? '';
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]?.[0] ?? ',';
}

/** Rows of the first sheet of an xlsx, streamed, every cell as text (index 0 = column A). */
export async function* readXlsxRows(file: string): AsyncGenerator<Row> {
  // Loaded on the first xlsx only: exceljs takes longer to load than a script worker without it takes to start.
  const { default: excel } = await import('exceljs');
  const reader = new excel.stream.xlsx.WorkbookReader(file, {
    sharedStrings: 'cache',
    worksheets: 'emit',
    hyperlinks: 'ignore',
    // Styles tell dates from numbers.
    styles: 'cache',
    entries: 'emit',
  });
  for await (const sheet of reader) {
    for await (const row of sheet) {
      const values = (row as ExcelJS.Row).values as unknown[];
      const cells: Row = [];
      for (let column = 1; column < values.length; column++) cells.push(cellText(values[column]));
      yield cells;
    }
    return;
  }
}

export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const cell = value as { richText?: { text: string }[]; result?: unknown; text?: string };
    if (cell.richText) return cell.richText.map((part) => part.text).join('');
    if ('result' in cell) return cellText(cell.result);
    if (typeof cell.text === 'string') return cell.text;
    return '';
  }
  return String(value);
}
