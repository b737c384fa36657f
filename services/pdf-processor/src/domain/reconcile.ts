import type { Anomaly, TransactionKind } from './statement.types.js';

export interface ReconcileRow {
  date: string;
  reference: string;
  kind: TransactionKind;
  totalCents: number;
  balanceCents: number;
  page: number;
  line: number;
}

export interface ReconcileInput {
  openingCents: number;
  closingCents: number;
  rows: ReconcileRow[];
}

export interface Reconciliation {
  /** Per row: printed balance minus the previous printed balance (the opening balance for the first row). */
  effectsCents: number[];
  computedClosingCents: number;
  anomalies: Anomaly[];
}

/**
 * The printed running balance is the ground truth: each row's effect is its balance delta, never a sign
 * guessed from the label. The statement reconciles when opening + Σ effects equals the printed closing
 * balance; rows that move the balance by something other than their printed total are listed, not fixed.
 */
export function reconcile({ openingCents, closingCents, rows }: ReconcileInput): Reconciliation {
  const effectsCents: number[] = [];
  const anomalies: Anomaly[] = [];
  let previous = openingCents;
  for (const [index, row] of rows.entries()) {
    const effect = row.balanceCents - previous;
    effectsCents.push(effect);
    previous = row.balanceCents;
    const where = { page: row.page, line: row.line, reference: row.reference };
    if (row.kind === 'other') {
      anomalies.push({ kind: 'unknown_kind', message: `transaction kind not recognised from its label`, ...where });
    }
    if (Math.abs(effect) !== row.totalCents && !isCashRefundOfReturn(rows, index, effect)) {
      anomalies.push({
        kind: 'effect_differs_from_total',
        message: `${row.kind} moves the balance by ${formatCents(effect)} but its printed total is ${formatCents(row.totalCents)}`,
        ...where,
      });
    }
  }
  const computedClosingCents = openingCents + effectsCents.reduce((sum, effect) => sum + effect, 0);
  if (computedClosingCents !== closingCents) {
    const lastRow = rows.at(-1);
    anomalies.push({
      kind: 'closing_balance_mismatch',
      message: lastRow
        ? `the last row's balance ${formatCents(lastRow.balanceCents)} (${lastRow.reference}) does not carry to the printed closing balance ${formatCents(closingCents)}`
        : `the opening balance ${formatCents(openingCents)} does not carry to the printed closing balance ${formatCents(closingCents)} (no rows)`,
      ...(lastRow ? { page: lastRow.page, line: lastRow.line, reference: lastRow.reference } : {}),
    });
  }
  return { effectsCents, computedClosingCents, anomalies };
}

/**
 * Sobrus prints the cash refund of a returned item as a payment of the same amount, on the same day as the
 * return, that leaves the balance unchanged (the return row carries the movement). This is the normal
 * bookkeeping of a refund, so it is not reported as an anomaly.
 */
function isCashRefundOfReturn(rows: ReconcileRow[], index: number, effect: number): boolean {
  const row = rows[index]!;
  if (row.kind !== 'payment' || effect !== 0 || row.totalCents <= 0) return false;
  return rows.some(
    (other, otherIndex) =>
      otherIndex !== index && other.kind === 'return' && other.date === row.date && other.totalCents === row.totalCents,
  );
}

export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(cents);
  return `${sign}${Math.floor(absolute / 100)},${String(absolute % 100).padStart(2, '0')}`;
}
