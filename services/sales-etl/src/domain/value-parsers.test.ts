import { describe, expect, it } from 'vitest';
import { parseDate, parseDecimal, parseNonNegativeInteger } from './value-parsers.js';

describe('parseDecimal', () => {
  it.each([
    ['12', 12],
    ['12.5', 12.5],
    ['-3.25', -3.25],
    ['12,5', 12.5],
    ['1 234,56', 1234.56],
    ['1\u00a0234,56', 1234.56],
    ['1\u202f234,56', 1234.56],
    ['1.234,56', 1234.56],
    ['1,234.56', 1234.56],
    ['1.234.567', 1234567],
    [' 7,10 ', 7.1],
  ])('%j → %d', (text, expected) => expect(parseDecimal(text)).toBe(expected));

  it.each(['', 'abc', '12,5,3', '1.2.3', '12e3', '0x10', '--1', '1,2.3.4'])('%j is not a number', (text) =>
    expect(parseDecimal(text)).toBeUndefined(),
  );
});

describe('parseNonNegativeInteger', () => {
  it.each([
    ['42', 42],
    [' 7 ', 7],
    ['0', 0],
  ])('%j → %d', (text, expected) => expect(parseNonNegativeInteger(text)).toBe(expected));

  it.each(['-1', '1.5', '1,0', 'x1', '', '99999999999999999'])('%j is refused', (text) =>
    expect(parseNonNegativeInteger(text)).toBeUndefined(),
  );
});

describe('parseDate', () => {
  it.each([
    ['2024-03-27', '2024-03-27'],
    ['2024/03/27', '2024-03-27'],
    ['2024-3-7', '2024-03-07'],
    ['27/03/2024', '2024-03-27'],
    ['27-03-2024', '2024-03-27'],
    ['27.03.2024', '2024-03-27'],
    ['2024-03-27T10:15:00Z', '2024-03-27'],
    ['2024-03-27 10:15', '2024-03-27'],
    ['27/03/2024 18:00:00', '2024-03-27'],
    ['2024-02-29', '2024-02-29'],
  ])('%j → %s', (text, expected) => expect(parseDate(text)).toBe(expected));

  it.each(['2023-02-29', '2024-13-01', '31/04/2024', '2024-03-32', 'hier', '03/2024', '', '1850-01-01'])(
    '%j is not a date',
    (text) => expect(parseDate(text)).toBeUndefined(),
  );
});
