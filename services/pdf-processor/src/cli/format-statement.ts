import { formatCents } from '../domain/reconcile.js';
import type { ParsedStatement } from '../domain/statement.types.js';

const money = (units: number) => formatCents(Math.round(units * 100)).padStart(14);

/** A statement as a plain-text table for people. */
export function formatStatement(statement: ParsedStatement): string {
  const out: string[] = [];
  out.push(`opening balance ${money(statement.openingBalance)}`);
  for (const t of statement.transactions) {
    out.push(
      `${t.date}  ${t.reference.padEnd(12)} ${t.label.slice(0, 40).padEnd(40)} ${t.kind.padEnd(11)} ${money(t.total)} ${money(t.effect)} ${money(t.balance)}`,
    );
    for (const l of t.lines) {
      out.push(
        `      - ${l.product.slice(0, 40).padEnd(40)} x${String(l.quantity).padEnd(6)} ${money(l.unitPrice)} ${String(l.discount).padStart(6)} ${money(l.discountedUnitPrice)} ${money(l.total)}`,
      );
    }
  }
  out.push(`closing balance ${money(statement.closingBalance)} (computed ${money(statement.computedClosingBalance)})`);
  out.push(`verdict: ${statement.verdict}`);
  for (const a of statement.anomalies) {
    out.push(
      `  ! ${a.kind} (page ${a.page ?? '-'}, line ${a.line ?? '-'}${a.reference ? `, ${a.reference}` : ''}): ${a.message}`,
    );
  }
  return out.join('\n');
}
