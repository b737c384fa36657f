import { describe, expect, it } from 'vitest';
import { computeCompleteness } from './completeness.js';
import { deadlineOf, parseMonthText } from './report-period.js';

const june = { year: 2025, month: 6 };
const key = (clientName: string, reportType = 'Продажи', dataProvider = 'Сеть') => ({
  dataProvider,
  clientName,
  reportType,
});

describe('computeCompleteness', () => {
  const expected = [key('A'), key('B'), key('C'), key('D', 'Остатки')];
  const arrivals = [
    { ...key('A'), firstArrivedAt: new Date('2025-06-30T10:00:00Z'), files: 2 },
    // The deadline day (10 July) itself is on time; the next day is late.
    { ...key('B'), firstArrivedAt: new Date('2025-07-10T23:59:59Z'), files: 1 },
    { ...key('C'), firstArrivedAt: new Date('2025-07-11T00:00:00Z'), files: 1 },
    { ...key('E'), firstArrivedAt: new Date('2025-07-01T00:00:00Z'), files: 1 },
  ];

  it('splits received, missing, late and unexpected reports', () => {
    const result = computeCompleteness(june, expected, arrivals, 10, new Date('2025-07-20T00:00:00Z'));
    expect(result.month).toBe('2025-06');
    expect(result.deadline).toBe('2025-07-10');
    expect(result.overdue).toBe(true);
    expect(result.expected).toBe(4);
    expect(result.received.map((r) => r.clientName)).toEqual(['A', 'B', 'C']);
    expect(result.received[0]?.files).toBe(2);
    expect(result.missing).toEqual([key('D', 'Остатки')]);
    expect(result.late.map((r) => r.clientName)).toEqual(['C']);
    expect(result.unexpected.map((r) => r.clientName)).toEqual(['E']);
  });

  it('is not overdue before the end of the deadline day', () => {
    expect(computeCompleteness(june, expected, [], 10, new Date('2025-07-10T23:00:00Z')).overdue).toBe(false);
    expect(computeCompleteness(june, expected, [], 10, new Date('2025-07-11T00:00:00Z')).overdue).toBe(true);
  });
});

describe('report periods', () => {
  it('puts the deadline in the following month, across the year end', () => {
    expect(deadlineOf({ year: 2025, month: 12 }, 10)).toBe('2026-01-10');
    expect(deadlineOf({ year: 2025, month: 1 }, 5)).toBe('2025-02-05');
  });

  it('parses months', () => {
    expect(parseMonthText('2025-06')).toEqual(june);
    expect(parseMonthText('2025-13')).toBeUndefined();
    expect(parseMonthText('2025-6')).toBeUndefined();
  });
});
