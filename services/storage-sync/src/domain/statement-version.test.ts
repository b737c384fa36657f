import { describe, expect, it } from 'vitest';
import { decideStatementWrite, type StatementVersion } from './statement-version.js';

const version = (downloadedAt: string, parsedAt: string, sourceSha256 = 'a'.repeat(64)): StatementVersion => ({
  downloadedAt,
  parsedAt,
  sourceSha256,
});

describe('statement period replacement', () => {
  const stored = version('2025-01-10T10:00:00Z', '2025-01-10T10:00:05Z');

  it.each([
    ['nothing stored yet', undefined, version('2025-01-01T00:00:00Z', '2025-01-01T00:00:01Z'), 'insert'],
    ['a newer download', stored, version('2025-01-11T10:00:00Z', '2025-01-11T10:00:01Z'), 'replace'],
    ['same download parsed again later', stored, version('2025-01-10T10:00:00Z', '2025-01-12T00:00:00Z'), 'replace'],
    ['a redelivery', stored, version('2025-01-10T10:00:00Z', '2025-01-10T10:00:05Z'), 'duplicate'],
    [
      'same instants in another offset',
      stored,
      version('2025-01-10T11:00:00+01:00', '2025-01-10T10:00:05.000Z'),
      'duplicate',
    ],
    ['an older download parsed later', stored, version('2025-01-09T10:00:00Z', '2025-02-01T00:00:00Z'), 'stale'],
    ['same download, older parse', stored, version('2025-01-10T10:00:00Z', '2025-01-10T10:00:04Z'), 'stale'],
  ] as const)('%s → %s', (_what, current, incoming, expected) => {
    expect(decideStatementWrite(current, incoming)).toBe(expected);
  });
});
