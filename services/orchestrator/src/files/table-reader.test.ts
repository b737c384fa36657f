import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyRows, openTable } from './table-reader.js';

async function rowsOf(file: string, size?: number) {
  const table = await openTable(file, size);
  const rows: string[][] = [];
  for await (const row of bodyRows(file, table.body)) rows.push(row);
  return { header: table.header, rows };
}

describe('reading an output file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'table-reader-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads a CSV with a BOM, semicolons and quoted cells', async () => {
    const file = join(dir, 'a.csv');
    await writeFile(file, '\uFEFFclient_name; period\n"A; B";2025-06-01\nC;\n');
    expect(await rowsOf(file)).toEqual({
      header: ['client_name', 'period'],
      rows: [
        ['A; B', '2025-06-01'],
        ['C', ''],
      ],
    });
  });

  it('reads CRLF, LF and CR line ends alike, whether the CSV is read whole or streamed', async () => {
    const file = join(dir, 'ends.csv');
    await writeFile(file, 'client_name,period\r\nA,1\nB,2\rC,3\r\n');
    const expected = {
      header: ['client_name', 'period'],
      rows: [
        ['A', '1'],
        ['B', '2'],
        ['C', '3'],
      ],
    };
    expect(await rowsOf(file)).toEqual(expected);
    // As a large CSV is read: header first, rows streamed from the file.
    expect(await rowsOf(file, Number.MAX_SAFE_INTEGER)).toEqual(expected);
  });

  it('reads the first sheet of an xlsx: numbers, dates and rich text as text', async () => {
    const file = join(dir, 'a.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('data');
    sheet.addRow(['client_name', 'amount_type_1', 'period']);
    sheet.addRow([{ richText: [{ text: 'Апт' }, { text: 'ека' }] }, 2.5, new Date(Date.UTC(2025, 5, 20))]);
    workbook.addWorksheet('other').addRow(['ignored']);
    await workbook.xlsx.writeFile(file);
    expect(await rowsOf(file)).toEqual({
      header: ['client_name', 'amount_type_1', 'period'],
      rows: [['Аптека', '2.5', '2025-06-20']],
    });
  });
});
