const PLAIN_INTEGER = /^\d{1,15}$/;
const PLAIN_DECIMAL = /^-?\d{1,15}(\.\d{1,10})?$/;
// Thousands separators: space, no-break space, narrow no-break space, apostrophe.
const GROUPING = /[\s\u00a0\u202f']/g;

/** A whole number ≥ 0 written with digits only (identifiers, quantities); undefined otherwise. */
export function parseNonNegativeInteger(text: string): number | undefined {
  // Hand-rolled digit loop: this runs for three columns of every sales row.
  const length = text.length;
  if (length === 0 || length > 15) return parseTrimmedInteger(text);
  let value = 0;
  for (let i = 0; i < length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return parseTrimmedInteger(text);
    value = value * 10 + digit;
  }
  return value;
}

function parseTrimmedInteger(text: string): number | undefined {
  const value = text.trim();
  if (value === text || !PLAIN_INTEGER.test(value)) return undefined;
  return Number(value);
}

/**
 * A decimal in dot ("1234.56", "1,234.56") or French ("1 234,56", "1.234,56") notation.
 * When both separators appear the last one is the decimal mark; a lone comma is a decimal comma.
 */
export function parseDecimal(text: string): number | undefined {
  if (PLAIN_DECIMAL.test(text)) return Number(text);
  let value = text.trim().replace(GROUPING, '');
  if (value === '') return undefined;
  const lastComma = value.lastIndexOf(',');
  const lastDot = value.lastIndexOf('.');
  if (lastComma >= 0 && lastDot >= 0) {
    const decimalMark = lastComma > lastDot ? ',' : '.';
    const grouping = decimalMark === ',' ? '.' : ',';
    value = value.replaceAll(grouping, '').replace(decimalMark, '.');
  } else if (lastComma >= 0) {
    if (value.indexOf(',') !== lastComma) return undefined;
    value = value.replace(',', '.');
  } else if (lastDot >= 0 && value.indexOf('.') !== lastDot) {
    // "1.234.567": dots as grouping only.
    if (!/^-?\d{1,3}(\.\d{3})+$/.test(value)) return undefined;
    value = value.replaceAll('.', '');
  }
  if (!PLAIN_DECIMAL.test(value)) return undefined;
  return Number(value);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const YEAR_FIRST =
  /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const DAY_FIRST = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?$/;

/**
 * A calendar date as `YYYY-MM-DD`, from ISO dates (with or without a time), `YYYY/MM/DD`, or the French
 * day-first forms `DD/MM/YYYY`, `DD-MM-YYYY`, `DD.MM.YYYY`. A time of day is dropped. Undefined if not a real date.
 */
export function parseDate(text: string): string | undefined {
  const iso = ISO_DATE.exec(text);
  if (iso) return validDate(+iso[1]!, +iso[2]!, +iso[3]!) ? text : undefined;
  const value = text.trim();
  const yearFirst = YEAR_FIRST.exec(value);
  if (yearFirst) return formatDate(+yearFirst[1]!, +yearFirst[2]!, +yearFirst[3]!);
  const dayFirst = DAY_FIRST.exec(value);
  if (dayFirst) return formatDate(+dayFirst[3]!, +dayFirst[2]!, +dayFirst[1]!);
  return undefined;
}

function formatDate(year: number, month: number, day: number): string | undefined {
  if (!validDate(year, month, day)) return undefined;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function validDate(year: number, month: number, day: number): boolean {
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}
