import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import ExcelJS from 'exceljs';

export type Row = string[];

/** Rows of an output file (first sheet of an xlsx, or a CSV with `,`, `;` or tab), every cell as text. */
export function readTable(file: string): AsyncGenerator<Row> {
  return extname(file).toLowerCase() === '.xlsx' ? readXlsx(file) : readCsv(file);
}

/** Below this size a CSV is read and parsed in one go (most outputs): cheaper than setting up a stream. */
const SMALL_CSV_BYTES = 1_048_576;

export interface OpenedTable {
  header: Row;
  /** The rows below the header, read again from `path` (where the file is now) unless already in memory. */
  rows: (path: string) => AsyncGenerator<Row>;
}

/** The header of an output and a way to read its rows, reading a small CSV only once. `size`: if already known. */
export async function openTable(file: string, size?: number): Promise<OpenedTable> {
  if (extname(file).toLowerCase() !== '.xlsx' && (size ?? (await stat(file)).size) <= SMALL_CSV_BYTES) {
    const text = await readFile(file, 'utf8');
    const delimiter = delimiterOf(text.slice(0, 4096));
    const records = parseSync(text, {
      delimiter,
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as Row[];
    const [header = [], ...body] = records;
    return {
      header: header.map((cell) => cell.trim()),
      rows: async function* () {
        yield* body;
      },
    };
  }
  return {
    header: await readHeader(file),
    rows: async function* (path: string) {
      let first = true;
      for await (const row of readTable(path)) {
        if (!first) yield row;
        first = false;
      }
    },
  };
}

export async function readHeader(file: string): Promise<Row> {
  for await (const row of readTable(file)) return row.map((cell) => cell.trim());
  return [];
}

async function* readCsv(file: string): AsyncGenerator<Row> {
  const delimiter = await sniffDelimiter(file);
  const parser = createReadStream(file).pipe(
    parse({ delimiter, bom: true, relax_column_count: true, skip_empty_lines: true }),
  );
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

async function* readXlsx(file: string): AsyncGenerator<Row> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
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
