import type { StatementData } from './statement.js';

/** How much the printed Total of the tampered row is off by, in cents. */
export const INCONSISTENCY_OFFSET = 1_000;

/**
 * The "inconsistent statement" fault: the first sale of the period (else the first row) is printed with a Total
 * 10,00 higher than its balance delta. Balances stay true, so a parser must report the row, not fix it.
 */
export function withInconsistentRow(statement: StatementData): { statement: StatementData; reference?: string } {
  const index = Math.max(
    0,
    statement.rows.findIndex((row) => row.kind === 'sale'),
  );
  const target = statement.rows[index];
  if (!target) return { statement };
  const rows = statement.rows.map((row, i) =>
    i === index ? { ...row, total: row.total + INCONSISTENCY_OFFSET } : row,
  );
  return { statement: { ...statement, rows }, reference: target.reference };
}
