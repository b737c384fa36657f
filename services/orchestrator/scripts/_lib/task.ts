// Helpers for the platform's own client scripts. A module script exports a conversion function that receives
// the task (the same values as the TASK_* variables) and writes one file into `task.outputDir`.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { basename, extname, join } from 'node:path';
import ExcelJS from 'exceljs';

export interface Task {
  id: string;
  file: string;
  client: string;
  reportType: string;
  outputDir: string;
  headerFile: string;
}

/** `{Client}_id{ID}_{source basename}_{YYYYMMDD_HHMMSS}.{ext}`: the name the orchestrator looks for. */
export function outputPath(task: Task, ext: 'csv' | 'xlsx', at = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${at.getFullYear()}${pad(at.getMonth() + 1)}${pad(at.getDate())}_${pad(at.getHours())}${pad(at.getMinutes())}${pad(at.getSeconds())}`;
  const source = basename(task.file, extname(task.file));
  return join(task.outputDir, `${task.client}_id${task.id}_${source}_${stamp}.${ext}`);
}

/** The target columns, in order, from the header file the orchestrator hands over. */
export async function targetColumns(headerFile: string): Promise<string[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(headerFile);
  const values = (workbook.worksheets[0]?.getRow(1).values ?? []) as unknown[];
  return values
    .slice(1)
    .map((value) => String(value ?? '').trim())
    .filter((name) => name !== '');
}

export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const cell = value as { richText?: { text: string }[]; result?: unknown; text?: string };
    if (cell.richText) return cell.richText.map((part) => part.text).join('');
    if ('result' in cell) return cellText(cell.result);
    return typeof cell.text === 'string' ? cell.text : '';
  }
  return String(value);
}

const quote = (value: string) => (/[",\n\r;]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** Writes a CSV (comma-separated, quoted where needed) under a temporary name, renamed once complete. */
export async function writeCsv(
  path: string,
  columns: string[],
  rows: Iterable<Record<string, string>>,
): Promise<number> {
  const partial = `${path}.partial`;
  const out = createWriteStream(partial);
  let count = 0;
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, 'drain');
  };
  await write(`${columns.map(quote).join(',')}\n`);
  for (const row of rows) {
    await write(`${columns.map((column) => quote(row[column] ?? '')).join(',')}\n`);
    count++;
  }
  out.end();
  await once(out, 'finish');
  const { rename } = await import('node:fs/promises');
  await rename(partial, path);
  return count;
}

/** Rows of the first sheet of an xlsx, streamed, each cell as text (index 0 = column A). */
export async function* xlsxRows(file: string): AsyncGenerator<string[]> {
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
      const cells: string[] = [];
      for (let column = 1; column < values.length; column++) cells.push(cellText(values[column]).trim());
      yield cells;
    }
    return;
  }
}
