import { describe, expect, it } from 'vitest';
import { centsToUnits, parseCents, parseDecimal } from './amount.js';

describe('parseCents', () => {
  it.each([
    ['0,00', 0],
    ['84,91', 8491],
    ['1 250,00', 125000],
    ['1\u00A0250,00', 125000],
    ['1\u202F250,00', 125000],
    ['12\u202F345\u202F678,90', 1234567890],
    ['-1 234,56', -123456],
    ['-1\u202F234,56', -123456],
    ['\u2212 69,47', -6947],
    ['\u2013 69,47', -6947],
    ['\u201269,47', -6947],
    ['\u2010 1 000,00', -100000],
    ['1\u2009234\u2007567,01', 123456701],
    ['15,4', 1540],
    ['1000', 100000],
    [' 7,05 ', 705],
  ])('%j → %d cents', (text, cents) => {
    expect(parseCents(text)).toBe(cents);
  });

  it.each(['', '-', 'abc', '1,234', '12.50', '1,2,3', '--5,00', '2024-03-27', 'V-000123'])(
    '%j is not an amount',
    (text) => {
      expect(parseCents(text)).toBeUndefined();
    },
  );

  it('sums exactly where floats would drift', () => {
    const cents = ['0,10', '0,20', '0,30'].map((text) => parseCents(text)!);
    expect(centsToUnits(cents.reduce((sum, value) => sum + value, 0))).toBe(0.6);
  });
});

describe('parseDecimal', () => {
  it.each([
    ['2', 2],
    ['1,5', 1.5],
    ['10 %', 10],
    ['10%', 10],
    ['-3', -3],
    ['1 000', 1000],
  ])('%j → %d', (text, value) => {
    expect(parseDecimal(text)).toBe(value);
  });

  it('rejects words', () => {
    expect(parseDecimal('deux')).toBeUndefined();
  });
});
