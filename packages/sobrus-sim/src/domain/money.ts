/** Amounts are integer cents everywhere inside the simulator; only the edges turn them into numbers or text. */
export type Cents = number;

/** The three thousands separators seen in real statements. */
export const THOUSANDS_SEPARATORS = [' ', '\u00a0', '\u202f'] as const;
export type ThousandsSeparator = (typeof THOUSANDS_SEPARATORS)[number];

export function centsToNumber(cents: Cents): number {
  return cents / 100;
}

/** French format: `-1 234,56` (the separator is chosen by the caller, as real statements mix them). */
export function formatAmount(cents: Cents, separator: ThousandsSeparator = ' '): string {
  const negative = cents < 0;
  const absolute = Math.abs(cents);
  const units = Math.floor(absolute / 100).toString();
  const decimals = (absolute % 100).toString().padStart(2, '0');
  const grouped = units.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
  return `${negative ? '-' : ''}${grouped},${decimals}`;
}

/** Rounds a fractional cent amount half away from zero. */
export function roundCents(value: number): Cents {
  return Math.sign(value) * Math.round(Math.abs(value));
}

/** Rotates through the separators so every statement mixes all three, as real ones do. */
export function separatorAt(position: number): ThousandsSeparator {
  return THOUSANDS_SEPARATORS[position % THOUSANDS_SEPARATORS.length] ?? ' ';
}
