import { centsToUnits } from './amount.js';
import { kindFromLabel } from './kind.js';
import { reconcile } from './reconcile.js';
import { readStatementLayout } from './statement.layout.js';
import type { ParsedStatement, StatementTransaction, Verdict } from './statement.types.js';
import { StatementRejected } from './statement-rejected.js';
import type { PageText } from './text-item.js';

/** Text items of a statement's pages → transactions, product lines, balances and the reconciliation verdict. */
export function parseStatementPages(pages: PageText[]): ParsedStatement {
  if (pages.length === 0) throw new StatementRejected('EMPTY', 'the document has no pages');
  if (pages.every((page) => page.items.length === 0)) {
    throw new StatementRejected('EMPTY', 'the document has no text (blank or scanned pages)');
  }
  const layout = readStatementLayout(pages);
  if (!layout.sawTable && layout.openingCents === undefined) {
    throw new StatementRejected('NOT_A_STATEMENT', 'no transaction table and no opening balance found');
  }
  if (layout.openingCents === undefined) {
    throw new StatementRejected('NOT_A_STATEMENT', 'no readable opening balance ("Solde initial")');
  }
  if (layout.closingCents === undefined) {
    throw new StatementRejected('NOT_A_STATEMENT', 'no readable closing balance ("Solde final")');
  }
  const rows = layout.transactions.map((transaction) => ({ ...transaction, kind: kindFromLabel(transaction.label) }));
  const reconciliation = reconcile({ openingCents: layout.openingCents, closingCents: layout.closingCents, rows });
  const transactions: StatementTransaction[] = rows.map((row, index) => ({
    date: row.date,
    reference: row.reference,
    label: row.label,
    kind: row.kind,
    total: centsToUnits(row.totalCents),
    effect: centsToUnits(reconciliation.effectsCents[index]!),
    balance: centsToUnits(row.balanceCents),
    page: row.page,
    lines: row.lines.map((line) => ({
      product: line.product,
      quantity: line.quantity,
      unitPrice: centsToUnits(line.unitPriceCents),
      discount: line.discount,
      discountedUnitPrice: centsToUnits(line.discountedUnitPriceCents),
      total: centsToUnits(line.totalCents),
    })),
  }));
  const anomalies = [...layout.anomalies, ...reconciliation.anomalies];
  return {
    openingBalance: centsToUnits(layout.openingCents),
    closingBalance: centsToUnits(layout.closingCents),
    computedClosingBalance: centsToUnits(reconciliation.computedClosingCents),
    verdict: statementVerdict({
      closes: reconciliation.computedClosingCents === layout.closingCents,
      unreadable: layout.anomalies.length,
      anomalies: anomalies.length,
    }),
    pages: layout.pages,
    transactions,
    anomalies: anomalies.sort((a, b) => (a.page ?? Infinity) - (b.page ?? Infinity) || (a.line ?? 0) - (b.line ?? 0)),
  };
}

/**
 * The one place a statement's verdict is decided. A row or product line that could not be read is data the
 * statement prints and we do not have: the figures cannot be vouched for, whatever the balances say. Otherwise
 * the printed closing balance must follow from the opening balance and the rows' balance moves.
 */
export function statementVerdict(facts: { closes: boolean; unreadable: number; anomalies: number }): Verdict {
  if (facts.unreadable > 0 || !facts.closes) return 'mismatch';
  return facts.anomalies > 0 ? 'ok_with_anomalies' : 'ok';
}
