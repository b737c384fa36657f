import type { TransactionKind, Verdict as VerdictSchema } from '@pharma/shared/contracts';
import { NotFoundError } from '@pharma/shared/errors';
import type { Static } from '@sinclair/typebox';
import type Database from 'better-sqlite3';

export type Verdict = Static<typeof VerdictSchema>;
export type Kind = Static<typeof TransactionKind>;

export interface StatementRow {
  id: number;
  clientKey: string;
  from: string;
  to: string;
  openingBalance: number;
  closingBalance: number;
  computedClosingBalance: number;
  verdict: Verdict;
  pages: number;
  sourceSha256: string;
  downloadedAt: string;
  parsedAt: string;
  current: number;
}

export interface TransactionRow {
  seq: number;
  clientKey: string;
  date: string;
  reference: string;
  label: string;
  kind: Kind;
  total: number;
  effect: number;
  balance: number;
  page: number;
}

export interface LineRow {
  transactionSeq: number;
  product: string;
  quantity: number;
  unitPrice: number;
  discount: number;
  discountedUnitPrice: number;
  total: number;
}

const STATEMENT_COLUMNS = `id, client_key AS clientKey, period_from AS "from", period_to AS "to",
  opening_balance AS openingBalance, closing_balance AS closingBalance,
  computed_closing_balance AS computedClosingBalance, verdict, pages, source_sha256 AS sourceSha256,
  downloaded_at AS downloadedAt, parsed_at AS parsedAt, is_current AS current`;

const TRANSACTION_COLUMNS = `seq, client_key AS clientKey, date, reference, label, kind, total, effect, balance, page`;

/** The statement of a period, or the customer's current one when no period is given. */
export function findStatement(
  sqlite: Database.Database,
  clientKey: string,
  period: { from?: string; to?: string },
): StatementRow {
  const row =
    period.from && period.to
      ? sqlite
          .prepare(
            `SELECT ${STATEMENT_COLUMNS} FROM statements WHERE client_key = ? AND period_from = ? AND period_to = ?`,
          )
          .get(clientKey, period.from, period.to)
      : sqlite
          .prepare(`SELECT ${STATEMENT_COLUMNS} FROM statements WHERE client_key = ? AND is_current = 1`)
          .get(clientKey);
  if (!row) {
    const which = period.from && period.to ? `${period.from}..${period.to}` : 'any period';
    throw new NotFoundError(`No statement of customer ${clientKey} for ${which}`);
  }
  return row as StatementRow;
}

export function periodsOf(sqlite: Database.Database, clientKey: string): { from: string; to: string }[] {
  return sqlite
    .prepare(
      `SELECT period_from AS "from", period_to AS "to" FROM statements WHERE client_key = ? ORDER BY period_to DESC, period_from`,
    )
    .all(clientKey) as { from: string; to: string }[];
}

export function transactionsOf(sqlite: Database.Database, statementId: number): TransactionRow[] {
  return sqlite
    .prepare(`SELECT ${TRANSACTION_COLUMNS} FROM transactions WHERE statement_id = ? ORDER BY seq`)
    .all(statementId) as TransactionRow[];
}

export function linesOf(sqlite: Database.Database, statementId: number): LineRow[] {
  return sqlite
    .prepare(
      `SELECT transaction_seq AS transactionSeq, product, quantity, unit_price AS unitPrice, discount,
         discounted_unit_price AS discountedUnitPrice, total
       FROM product_lines WHERE statement_id = ? ORDER BY transaction_seq, line_no`,
    )
    .all(statementId) as LineRow[];
}

export function anomaliesOf(sqlite: Database.Database, statementId: number) {
  const rows = sqlite
    .prepare('SELECT kind, message, page, line, reference FROM anomalies WHERE statement_id = ? ORDER BY seq')
    .all(statementId) as {
    kind: string;
    message: string;
    page: number | null;
    line: number | null;
    reference: string | null;
  }[];
  return rows.map((row) => ({
    kind: row.kind,
    message: row.message,
    ...(row.page === null ? {} : { page: row.page }),
    ...(row.line === null ? {} : { line: row.line }),
    ...(row.reference === null ? {} : { reference: row.reference }),
  }));
}

/** Transactions of every customer's current statement (optionally one customer), in date order. */
export function currentTransactions(sqlite: Database.Database, clientKey?: string): TransactionRow[] {
  const filter = clientKey ? 'AND s.client_key = ?' : '';
  return sqlite
    .prepare(
      `SELECT t.seq, t.client_key AS clientKey, t.date, t.reference, t.label, t.kind, t.total, t.effect, t.balance, t.page
       FROM statements s JOIN transactions t ON t.statement_id = s.id
       WHERE s.is_current = 1 ${filter} ORDER BY t.client_key, t.date, t.seq`,
    )
    .all(...(clientKey ? [clientKey] : [])) as TransactionRow[];
}

export function currentStatements(sqlite: Database.Database, clientKey?: string): StatementRow[] {
  const filter = clientKey ? 'AND client_key = ?' : '';
  return sqlite
    .prepare(`SELECT ${STATEMENT_COLUMNS} FROM statements WHERE is_current = 1 ${filter}`)
    .all(...(clientKey ? [clientKey] : [])) as StatementRow[];
}
