import { describe, expect, it } from 'vitest';
import { ageInDays, ageReceivables, sumAgeing } from './ageing.js';

const noOpening = { date: '2024-01-01', balance: 0 };

describe('receivables ageing (FIFO)', () => {
  it('ages unpaid sales by their date', () => {
    const result = ageReceivables(
      noOpening,
      [
        { date: '2024-06-30', effect: 100 }, // 0 days
        { date: '2024-05-15', effect: 200 }, // 46 days
        { date: '2024-04-10', effect: 300 }, // 81 days
        { date: '2024-01-02', effect: 400 }, // 180 days
      ],
      '2024-06-30',
    );
    expect(result).toMatchObject({ days0to30: 100, days31to60: 200, days61to90: 300, over90: 400, outstanding: 1000 });
    expect(result.balance).toBe(1000);
  });

  it('matches payments, credit notes and returns against the oldest sales first', () => {
    const result = ageReceivables(
      noOpening,
      [
        { date: '2024-01-10', effect: 500 },
        { date: '2024-05-20', effect: 250 },
        { date: '2024-06-01', effect: -300 }, // payment clears part of January
        { date: '2024-06-10', effect: -200 }, // return clears the rest of January
        { date: '2024-06-20', effect: -50 }, // credit note eats into May
      ],
      '2024-06-30',
    );
    expect(result).toMatchObject({ days0to30: 0, days31to60: 200, days61to90: 0, over90: 0, unappliedCredit: 0 });
  });

  it('keeps an advance payment as unapplied credit and uses it on the next sale', () => {
    const before = ageReceivables(noOpening, [{ date: '2024-03-01', effect: -80 }], '2024-03-31');
    expect(before).toMatchObject({ outstanding: 0, unappliedCredit: 80, balance: -80 });
    const after = ageReceivables(
      noOpening,
      [
        { date: '2024-03-01', effect: -80 },
        { date: '2024-03-05', effect: 100 },
      ],
      '2024-03-31',
    );
    expect(after).toMatchObject({ days0to30: 20, unappliedCredit: 0, balance: 20 });
  });

  it('counts a positive opening balance as a sale on the opening date and a negative one as credit', () => {
    expect(ageReceivables({ date: '2024-01-01', balance: 1234.56 }, [], '2024-06-30')).toMatchObject({
      over90: 1234.56,
      balance: 1234.56,
    });
    expect(
      ageReceivables({ date: '2024-01-01', balance: -10 }, [{ date: '2024-06-29', effect: 30 }], '2024-06-30'),
    ).toMatchObject({ days0to30: 20, balance: 20 });
  });

  it('ignores entries after the as-of date and keeps cents exact', () => {
    const result = ageReceivables(
      noOpening,
      [
        { date: '2024-06-01', effect: 0.1 },
        { date: '2024-06-02', effect: 0.2 },
        { date: '2024-07-15', effect: 999 },
      ],
      '2024-06-30',
    );
    expect(result.outstanding).toBe(0.3);
  });

  it('places the bucket edges at 30, 60 and 90 days', () => {
    expect(ageInDays('2024-05-31', '2024-06-30')).toBe(30);
    const at = (date: string) => ageReceivables(noOpening, [{ date, effect: 1 }], '2024-06-30');
    expect(at('2024-05-31').days0to30).toBe(1);
    expect(at('2024-05-30').days31to60).toBe(1);
    expect(at('2024-05-01').days31to60).toBe(1);
    expect(at('2024-04-30').days61to90).toBe(1);
    expect(at('2024-04-01').days61to90).toBe(1);
    expect(at('2024-03-31').over90).toBe(1);
  });

  it('sums customers into overall figures', () => {
    const a = ageReceivables(noOpening, [{ date: '2024-06-20', effect: 10.1 }], '2024-06-30');
    const b = ageReceivables(noOpening, [{ date: '2024-01-20', effect: 20.2 }], '2024-06-30');
    expect(sumAgeing([a, b])).toMatchObject({ days0to30: 10.1, over90: 20.2, outstanding: 30.3, balance: 30.3 });
  });
});
