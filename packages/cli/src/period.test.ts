import { describe, expect, it } from 'vitest';
import { defaultPeriod } from './period.js';

describe('defaultPeriod', () => {
  it.each([
    [new Date(2026, 11, 5, 9, 30), '2026-12-04'],
    [new Date(2026, 0, 1, 0, 0), '2025-12-31'],
    [new Date(2024, 2, 1, 23, 59), '2024-02-29'],
  ])('from 2017-01-01 to the day before %s', (today, yesterday) => {
    expect(defaultPeriod(today)).toEqual({ from: '2017-01-01', to: yesterday });
  });
});
