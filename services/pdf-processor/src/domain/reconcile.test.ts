import { describe, expect, it } from 'vitest';
import { type ReconcileInput, type ReconcileRow, reconcile } from './reconcile.js';
import { statementVerdict } from './statement.parser.js';

/** The verdict of a statement whose rows were all read. */
const reconciled = (input: ReconcileInput) => {
  const result = reconcile(input);
  const verdict = statementVerdict({
    closes: result.computedClosingCents === input.closingCents,
    unreadable: 0,
    anomalies: result.anomalies.length,
  });
  return { ...result, verdict };
};

const row = (overrides: Partial<ReconcileRow> & Pick<ReconcileRow, 'totalCents' | 'balanceCents'>): ReconcileRow => ({
  date: '2024-03-27',
  reference: 'V-1',
  kind: 'sale',
  page: 1,
  line: 5,
  ...overrides,
});

describe('reconcile', () => {
  it('takes effects from the balance deltas, the first against the opening balance', () => {
    const result = reconciled({
      openingCents: -123456,
      closingCents: -6947,
      rows: [
        row({ totalCents: 125000, balanceCents: 1544 }),
        row({ kind: 'payment', totalCents: 8491, balanceCents: -6947, reference: 'P-1' }),
      ],
    });
    expect(result.effectsCents).toEqual([125000, -8491]);
    expect(result.computedClosingCents).toBe(-6947);
    expect(result.anomalies).toEqual([]);
    expect(result.verdict).toBe('ok');
  });

  it('is ok for an empty statement whose closing equals its opening', () => {
    expect(reconciled({ openingCents: 500, closingCents: 500, rows: [] }).verdict).toBe('ok');
  });

  it('reports a row that moves the balance by something else than its total, with page and line', () => {
    const result = reconciled({
      openingCents: 0,
      closingCents: 9000,
      rows: [row({ totalCents: 10000, balanceCents: 9000, page: 3, line: 17, reference: 'V-9' })],
    });
    expect(result.verdict).toBe('ok_with_anomalies');
    expect(result.anomalies).toEqual([
      expect.objectContaining({ kind: 'effect_differs_from_total', page: 3, line: 17, reference: 'V-9' }),
    ]);
  });

  it('reports an unknown kind', () => {
    const result = reconciled({
      openingCents: 0,
      closingCents: 100,
      rows: [row({ kind: 'other', totalCents: 100, balanceCents: 100 })],
    });
    expect(result.anomalies.map((anomaly) => anomaly.kind)).toEqual(['unknown_kind']);
    expect(result.verdict).toBe('ok_with_anomalies');
  });

  it('is a mismatch when the printed closing balance is not opening + effects', () => {
    const result = reconciled({
      openingCents: 0,
      closingCents: 101,
      rows: [row({ totalCents: 100, balanceCents: 100 })],
    });
    expect(result.verdict).toBe('mismatch');
    expect(result.computedClosingCents).toBe(100);
  });

  it('accepts the cash refund of a same-day return: a payment that leaves the balance unchanged', () => {
    const result = reconciled({
      openingCents: 10000,
      closingCents: 7000,
      rows: [
        row({ kind: 'return', totalCents: 3000, balanceCents: 7000, reference: 'R-1' }),
        row({ kind: 'payment', totalCents: 3000, balanceCents: 7000, reference: 'P-1' }),
      ],
    });
    expect(result.effectsCents).toEqual([-3000, 0]);
    expect(result.verdict).toBe('ok');
  });

  it('still reports a zero-effect payment with no matching return', () => {
    const result = reconciled({
      openingCents: 10000,
      closingCents: 10000,
      rows: [row({ kind: 'payment', totalCents: 3000, balanceCents: 10000 })],
    });
    expect(result.anomalies.map((anomaly) => anomaly.kind)).toEqual(['effect_differs_from_total']);
  });
});

describe('statementVerdict', () => {
  it.each([
    { closes: true, unreadable: 0, anomalies: 0, verdict: 'ok' },
    { closes: true, unreadable: 0, anomalies: 2, verdict: 'ok_with_anomalies' },
    { closes: false, unreadable: 0, anomalies: 1, verdict: 'mismatch' },
    { closes: true, unreadable: 1, anomalies: 1, verdict: 'mismatch' },
  ])('closes $closes, unreadable $unreadable, anomalies $anomalies: $verdict', ({ verdict, ...facts }) => {
    expect(statementVerdict(facts)).toBe(verdict);
  });
});
