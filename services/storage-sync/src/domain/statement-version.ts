/** Which parse of a statement (customer + period) this is: newer downloads win, then newer parses. */
export interface StatementVersion {
  downloadedAt: string;
  parsedAt: string;
  sourceSha256: string;
}

export type StatementWrite = 'insert' | 'replace' | 'duplicate' | 'stale';

function compareInstants(a: string, b: string): number {
  return Math.sign(Date.parse(a) - Date.parse(b));
}

/** Orders two parses of the same statement by download time, then parse time. */
export function compareVersions(a: StatementVersion, b: StatementVersion): number {
  return compareInstants(a.downloadedAt, b.downloadedAt) || compareInstants(a.parsedAt, b.parsedAt);
}

/**
 * What storing `incoming` does given the version already stored for the same customer and period:
 * a redelivery or replay (same times) changes nothing, an older parse never overwrites a newer one.
 */
export function decideStatementWrite(stored: StatementVersion | undefined, incoming: StatementVersion): StatementWrite {
  if (!stored) return 'insert';
  const order = compareVersions(incoming, stored);
  if (order > 0) return 'replace';
  if (order < 0) return 'stale';
  return 'duplicate';
}

/** Timestamps are stored normalised so that text order is time order. */
export function normaliseInstant(value: string): string {
  return new Date(value).toISOString();
}
