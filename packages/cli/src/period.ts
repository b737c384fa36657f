/** First day of the history the original tool downloaded statements from. */
export const HISTORY_START = '2017-01-01';

const isoDay = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

/** The default statements period: the whole history up to yesterday (the local day before `today`). */
export function defaultPeriod(today: Date = new Date()): { from: string; to: string } {
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  return { from: HISTORY_START, to: isoDay(yesterday) };
}
