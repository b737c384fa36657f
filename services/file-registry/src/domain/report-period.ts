/** A report month, `YYYY-MM`. */
export interface ReportMonth {
  year: number;
  month: number;
}

export function formatMonth({ year, month }: ReportMonth): string {
  return `${year}-${String(month).padStart(2, '0')}`;
}

export function parseMonthText(text: string): ReportMonth | undefined {
  const match = /^(\d{4})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  return month >= 1 && month <= 12 ? { year, month } : undefined;
}

/** Reports of a month are due by the given day of the following month (UTC), inclusive. */
export function deadlineOf({ year, month }: ReportMonth, lateAfterDay: number): string {
  return new Date(Date.UTC(year, month, lateAfterDay)).toISOString().slice(0, 10);
}

/** First instant that counts as late: the start of the day after the deadline. */
export function lateFromMs(period: ReportMonth, lateAfterDay: number): number {
  return Date.UTC(period.year, period.month, lateAfterDay + 1);
}
