import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readXlsRows } from './xls-reader.js';

// Written by xlwt (BIFF8), as old exports are; made by test/fixtures/make-legacy-report-xls.py.
const FIXTURE = fileURLToPath(new URL('../../test/fixtures/legacy-report.xls', import.meta.url));

describe('readXlsRows', () => {
  it('reads the first sheet of an .xls: Cyrillic text, numbers as written, dates as calendar days', async () => {
    expect(await readXlsRows(FIXTURE)).toEqual([
      ['Отчёт о продажах за июнь 2025', '', '', '', '', ''],
      ['', '', '', '', '', ''],
      ['Аптека', 'Город', 'Товар', 'Количество', 'Сумма', 'Дата'],
      ['Аптека №1', 'Москва', 'Нурофен 200 мг №10', '3', '450.5', '2025-06-20'],
      ['Аптека №2', 'Тверь', 'Арбидол 100 мг №20', '12', '7200', '2025-06-21'],
    ]);
  });

  it('fails on a file that is not a workbook', async () => {
    await expect(readXlsRows(fileURLToPath(import.meta.url))).rejects.toThrow();
  });
});
