import { describe, expect, it } from 'vitest';
import { type BucketEntry, isPastGrace, planObjectSweep, type References, unownedChunkSets } from './object-sweep.js';

const NOW = Date.parse('2026-12-04T12:00:00Z');
const GRACE = 30 * 60_000;
const MINUTE = 60_000;

const entry = (name: string, ageMs: number, overrides: Partial<BucketEntry> = {}): BucketEntry => ({
  name,
  revision: 1,
  nuid: `nuid-${name}`,
  deleted: false,
  storedAt: NOW - ageMs,
  ...overrides,
});

const plan = (entries: BucketEntry[], references: References = new Set()) =>
  planObjectSweep({ now: NOW, graceMs: GRACE, entries, references });

describe('planObjectSweep', () => {
  it.each([
    // name, age, referenced by a pending message, deleted marker → removed as
    ['old, no pending message', GRACE + MINUTE, false, false, 'object'],
    ['old, a pending message names it', GRACE + MINUTE, true, false, 'kept (referenced)'],
    ['young, no pending message (its event may be on its way)', GRACE - MINUTE, false, false, 'kept (young)'],
    ['exactly at the grace boundary', GRACE, false, false, 'kept (young)'],
    ['stored "in the future" (a clock behind the server)', -MINUTE, false, false, 'kept (young)'],
    ['old deletion marker, no pending message', GRACE + MINUTE, false, true, 'marker'],
    ['old deletion marker a pending message still names', GRACE + MINUTE, true, true, 'kept (referenced)'],
    ['young deletion marker', MINUTE, false, true, 'kept (young)'],
  ])('%s: %s', (_case, age, referenced, deleted, expected) => {
    const one = entry('p/1/2017-01-01_2026-12-03/job.pdf', age as number, { deleted: deleted as boolean });
    const result = plan([one], new Set(referenced ? [one.name] : []));
    const outcome =
      result.objects.length > 0
        ? 'object'
        : result.markers.length > 0
          ? 'marker'
          : result.referenced > 0
            ? 'kept (referenced)'
            : 'kept (young)';
    expect(outcome).toBe(expected);
  });

  it('keeps every entry while one pending message could not be read', () => {
    const result = plan([entry('a', GRACE * 2), entry('b', GRACE * 2, { deleted: true }), entry('c', 0)], 'unknown');
    expect(result).toMatchObject({ objects: [], markers: [], referenced: 2, young: 1 });
  });

  it('judges each name on its own, and carries the revision to delete', () => {
    const result = plan(
      [
        entry('orphan', GRACE + MINUTE, { revision: 7 }),
        entry('pending', GRACE * 3),
        entry('fresh', 5_000),
        entry('gone', GRACE + MINUTE, { deleted: true, revision: 9 }),
      ],
      new Set(['pending', 'not-in-the-bucket']),
    );
    expect(result.objects.map((one) => [one.name, one.revision])).toEqual([['orphan', 7]]);
    expect(result.markers.map((one) => [one.name, one.revision])).toEqual([['gone', 9]]);
    expect(result).toMatchObject({ young: 1, referenced: 1 });
  });

  it('has nothing to do on an empty bucket', () => {
    expect(plan([])).toEqual({ objects: [], markers: [], young: 0, referenced: 0 });
  });
});

describe('unownedChunkSets', () => {
  it('lists the chunk sets no current object owns, deletion markers owning none', () => {
    const entries = [entry('a', 0, { nuid: 'A' }), entry('b', 0, { nuid: 'B', deleted: true })];
    expect(unownedChunkSets(['A', 'B', 'C'], entries)).toEqual(['B', 'C']);
    expect(unownedChunkSets([], entries)).toEqual([]);
  });
});

describe('isPastGrace', () => {
  it('is strictly past the grace period', () => {
    expect(isPastGrace(NOW - GRACE - 1, NOW, GRACE)).toBe(true);
    expect(isPastGrace(NOW - GRACE, NOW, GRACE)).toBe(false);
  });
});
