/** ISO dates (YYYY-MM-DD) as UTC day numbers, so ledgers never depend on the machine's time zone. */
const DAY_MS = 86_400_000;

export function isoToDay(iso: string): number {
  return Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
}

export function dayToIso(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function todayIso(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export function isIsoDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && dayToIso(isoToDay(value)) === value;
}

/** First day of the simulated history, as in the real tool's default period. */
export const HISTORY_START = '2017-01-01';
