// RFC 4180 CSV as spreadsheets open it: the one writer of the storage exports and the gateway's own CSV files.
export type CsvSeparator = ',' | ';';
export type CsvValue = string | number | null | undefined;

/** Excel opens a UTF-8 file correctly only when it starts with a byte-order mark. */
export const UTF8_BOM = '\uFEFF';

export function csvField(value: CsvValue, separator: CsvSeparator): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'number' ? formatNumber(value, separator) : value;
  // Formula injection: a cell starting with = + - @ is run by spreadsheets.
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /["\r\n]/.test(text) || text.includes(separator) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** With `;` (the French Excel convention) decimals use a comma, as Excel users in that locale expect. */
function formatNumber(value: number, separator: CsvSeparator): string {
  const text = String(value);
  return separator === ';' ? text.replace('.', ',') : text;
}

export function csvLine(values: readonly CsvValue[], separator: CsvSeparator): string {
  return `${values.map((value) => csvField(value, separator)).join(separator)}\r\n`;
}
