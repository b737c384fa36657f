// Conversion shared by the demo pharmacy chains: a simple sales table (CSV with `;` or `,`, or xlsx) whose
// header names are Russian business names or already target names.
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import { outputPath, type Task, targetColumns, writeCsv, xlsxRows } from './task.js';

const SYNONYMS: Record<string, string> = {
  аптека: 'client_name',
  юрлицо: 'client_inlaw',
  регион: 'client_region',
  город: 'client_city',
  адрес: 'client_adress',
  инн: 'client_inn',
  'код аптеки': 'client_id_ish',
  товар: 'tms',
  'код товара': 'tms_id_ish',
  производитель: 'mnf',
  количество: 'amount_type_1',
  сумма: 'sum_no_nds',
  'сумма с ндс': 'sum_nds',
  дата: 'period',
  накладная: 'naklad',
};

async function readSource(file: string): Promise<string[][]> {
  if (extname(file).toLowerCase() === '.xlsx') {
    const rows: string[][] = [];
    for await (const row of xlsxRows(file)) rows.push(row);
    return rows;
  }
  const text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = firstLine.split(';').length >= firstLine.split(',').length ? ';' : ',';
  return parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true }) as string[][];
}

export default async function convert(task: Task): Promise<void> {
  const columns = await targetColumns(task.headerFile);
  const [header = [], ...body] = await readSource(task.file);
  const targets = header.map((name) => {
    const key = name.trim();
    return columns.includes(key) ? key : SYNONYMS[key.toLowerCase()];
  });
  const rows = body.map((cells) => {
    const row: Record<string, string> = {
      report_provider_name: task.client,
      Report_Provaider: 'Сеть',
      filename_ish: basename(task.file),
    };
    targets.forEach((target, index) => {
      if (target) row[target] = (cells[index] ?? '').trim();
    });
    return row;
  });
  await writeCsv(outputPath(task, 'csv'), columns, rows);
}
