import { describe, expect, it } from 'vitest';
import { formatAmount, separatorAt } from './money.js';

describe('formatAmount', () => {
  it.each([
    [0, ' ', '0,00'],
    [1, ' ', '0,01'],
    [-1, ' ', '-0,01'],
    [99_999, ' ', '999,99'],
    [100_000, ' ', '1 000,00'],
    [-123_456, '\u00a0', '-1\u00a0234,56'],
    [12_345_678_901, '\u202f', '123\u202f456\u202f789,01'],
  ] as const)('%i cents with %j → %s', (cents, separator, expected) => {
    expect(formatAmount(cents, separator)).toBe(expected);
  });

  it('rotates through the three separators', () => {
    expect([0, 1, 2, 3].map(separatorAt)).toEqual([' ', '\u00a0', '\u202f', ' ']);
  });
});
