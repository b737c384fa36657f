import ExcelJS from 'exceljs';

const MONEY = '#,##0.00';

export interface WorkbookColumn<Row> {
  header: string;
  key: keyof Row & string;
  width?: number;
  /** Amounts: two decimals, thousands grouped. */
  money?: boolean;
}

/** A workbook of one sheet: a bold header row, then a row per item. */
export async function tableWorkbook<Row extends object>(
  sheetName: string,
  columns: WorkbookColumn<Row>[],
  rows: Row[],
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Pharma platform';
  const sheet = workbook.addWorksheet(sheetName);
  sheet.columns = columns.map(({ header, key, width, money }) => ({
    header,
    key,
    width: width ?? (money ? 14 : 18),
    ...(money ? { style: { numFmt: MONEY } } : {}),
  }));
  sheet.addRows(rows);
  sheet.getRow(1).font = { bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
