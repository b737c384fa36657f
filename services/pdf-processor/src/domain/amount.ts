/**
 * French number format as printed on Sobrus statements: thousands separated by a space, a no-break space
 * (U+00A0), a narrow no-break space (U+202F) or a thin space (U+2009), a decimal comma and a leading minus.
 * Money is kept as integer cents so sums are exact; it becomes a number of currency units only at the edge.
 */

const SEPARATORS = /[\s\u00A0\u202F\u2009\u2007]/g;
/** A hyphen, any dash (U+2010 to U+2015) or the minus sign: producers print negatives with all of them. */
export const MINUS_SIGNS = '\\-\\u2010-\\u2015\\u2212';
const MINUS = new RegExp(`^[${MINUS_SIGNS}]`);
const MONEY = /^(\d+)(?:,(\d{1,2}))?$/;
const DECIMAL = /^(\d+)(?:,(\d+))?$/;

/** Cents of a printed French amount, or undefined when the text is not an amount. */
export function parseCents(text: string): number | undefined {
  const { negative, digits } = splitSign(text);
  const match = MONEY.exec(digits);
  if (!match) return undefined;
  const units = Number(match[1]);
  const fraction = Number((match[2] ?? '0').padEnd(2, '0'));
  const cents = units * 100 + fraction;
  if (!Number.isSafeInteger(cents)) return undefined;
  return negative ? -cents : cents;
}

/** A printed French decimal (quantities, percentages) as a number, or undefined. */
export function parseDecimal(text: string): number | undefined {
  const { negative, digits } = splitSign(text.replace(/%$/, ''));
  const match = DECIMAL.exec(digits);
  if (!match) return undefined;
  const value = Number(match[2] === undefined ? match[1] : `${match[1]}.${match[2]}`);
  if (!Number.isFinite(value)) return undefined;
  return negative ? -value : value;
}

/** Currency units for JSON: an integer divided by 100 is the double closest to the printed decimal. */
export function centsToUnits(cents: number): number {
  return cents / 100;
}

const HAS_SEPARATOR = /[\s\u00A0\u202F\u2009\u2007]/;

function splitSign(text: string): { negative: boolean; digits: string } {
  const compact = HAS_SEPARATOR.test(text) ? text.replace(SEPARATORS, '') : text;
  const negative = MINUS.test(compact);
  return { negative, digits: negative ? compact.slice(1) : compact.replace(/^\+/, '') };
}
