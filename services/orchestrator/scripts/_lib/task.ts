// Helpers for the platform's own client scripts. A module script exports a conversion function that receives
// the task (the same values as the TASK_* variables) and writes one file into `task.outputDir`. The output's name,
// the target header and the reading of spreadsheets are the orchestrator's own (its src/), so a script and the
// orchestrator never disagree on them.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { outputName } from '../../src/domain/output-name.js';
import { readXlsxRows } from '../../src/files/table-reader.js';
import { loadTargetHeader } from '../../src/files/target-header.js';
import { readXlsRows } from '../../src/files/xls-reader.js';

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
  return join(task.outputDir, outputName(task.client, task.id, task.file, at, ext));
}

/** The target columns, in order, from the header file the orchestrator hands over. */
export async function targetColumns(headerFile: string): Promise<string[]> {
  return [...(await loadTargetHeader(headerFile)).columns];
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
  await rename(partial, path);
  return count;
}

/** Rows of the first sheet of an xlsx, streamed, each cell as trimmed text (index 0 = column A). */
export async function* xlsxRows(file: string): AsyncGenerator<string[]> {
  for await (const row of readXlsxRows(file)) yield row.map((cell) => cell.trim());
}

/** Rows of the first sheet of an old binary Excel file (.xls), each cell as trimmed text; dates as `YYYY-MM-DD`. */
export async function xlsRows(file: string): Promise<string[][]> {
  return (await readXlsRows(file)).map((row) => row.map((cell) => cell.trim()));
}
