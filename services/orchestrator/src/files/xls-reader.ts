import { readFile } from 'node:fs/promises';
import * as XLSX from '@e965/xlsx';
import * as cptable from '@e965/xlsx/dist/cpexcel.full.mjs';

// Excel 5/95 files store text in the workbook's code page (cp1251 for Russian ones): give the reader the tables.
XLSX.set_cptable(cptable);

/**
 * Rows of the first sheet of an old binary Excel file (`.xls`, BIFF5/BIFF8), every cell as text (index 0 =
 * column A; an empty cell is ''). Numbers come as written by `String` (`450.5`, `12`), dates as `YYYY-MM-DD`
 * (with ` HH:MM:SS` when the cell has a time), independent of the machine's time zone. The whole file is read at
 * once: `.xls` files are at most 65 536 rows.
 */
export async function readXlsRows(file: string): Promise<string[][]> {
  const data = await readFile(file);
  if (!isWorkbook(data)) throw new Error(`${file} is not an Excel workbook (neither a compound file nor a zip)`);
  // cellNF: each cell keeps its number format, which is how a date cell is told from a number.
  const book = XLSX.read(data, { type: 'buffer', cellNF: true, cellDates: false, cellText: false });
  const date1904 = book.Workbook?.WBProps?.date1904 === true;
  const first = book.SheetNames[0];
  const sheet = first === undefined ? undefined : book.Sheets[first];
  if (!sheet?.['!ref']) return [];
  const range = XLSX.utils.decode_range(sheet['!ref']);
  const rows: string[][] = [];
  for (let r = range.s.r; r <= range.e.r; r++) {
    const row: string[] = [];
    for (let c = 0; c <= range.e.c; c++) row.push(cellText(sheet[XLSX.utils.encode_cell({ r, c })], date1904));
    rows.push(row);
  }
  return rows;
}

function cellText(cell: XLSX.CellObject | undefined, date1904: boolean): string {
  if (!cell || cell.v === undefined || cell.v === null) return '';
  if (cell.t === 'n' && typeof cell.v === 'number' && cell.z !== undefined && XLSX.SSF.is_date(cell.z)) {
    return dateText(cell.v, date1904);
  }
  if (cell.t === 'b') return cell.v ? 'TRUE' : 'FALSE';
  if (cell.t === 'e') return cell.w ?? '';
  return String(cell.v);
}

// The reader would take any text for a CSV: an old binary Excel file is a compound file (OLE2); a zip is an xlsx
// given the old extension, which happens and reads the same.
const COMPOUND_FILE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ZIP = Buffer.from('PK\x03\x04', 'latin1');
const isWorkbook = (data: Buffer) =>
  data.subarray(0, COMPOUND_FILE.length).equals(COMPOUND_FILE) || data.subarray(0, ZIP.length).equals(ZIP);

const pad = (n: number) => String(n).padStart(2, '0');

/** An Excel serial date as text, from its calendar parts (no `Date`, so no time zone shifts it). */
function dateText(serial: number, date1904: boolean): string {
  const parts = XLSX.SSF.parse_date_code(serial, { date1904 });
  const day = `${parts.y}-${pad(parts.m)}-${pad(parts.d)}`;
  return parts.H || parts.M || parts.S ? `${day} ${pad(parts.H)}:${pad(parts.M)}:${pad(parts.S)}` : day;
}
