import type { TransactionKind } from '@pharma/shared/contracts';
import { NotFoundError } from '@pharma/shared/errors';
import type { Static } from '@sinclair/typebox';
import type Database from 'better-sqlite3';
import type { AnomalyRow, ProductLineRow, StatementRow, TransactionRow } from '../db/schema.js';

export type Kind = Static<typeof TransactionKind>;

/** A transaction as the queries give it: its statement is known to whoever asks. */
export type StatementTransaction = Omit<TransactionRow, 'statementId'>;
/** A product line as the queries give it, under its transaction's `seq`, in line order. */
export type StatementLine = Omit<ProductLineRow, 'statementId' | 'lineNo' | 'clientKey'>;

// Columns under the schema's field names, so that rows have the schema's row types.
const STATEMENT_COLUMNS = `id, client_key AS clientKey, period_from AS periodFrom, period_to AS periodTo,
  opening_balance AS openingBalance, closing_balance AS closingBalance,
  computed_closing_balance AS computedClosingBalance, verdict, pages, source_sha256 AS sourceSha256,
  downloaded_at AS downloadedAt, parsed_at AS parsedAt, job_id AS jobId, is_current AS isCurrent`;

const TRANSACTION_COLUMNS = `seq, client_key AS clientKey, date, reference, label, kind, total, effect, balance, page`;

/** SQLite gives booleans as 0 or 1. */
const asStatement = (row: unknown): StatementRow => {
  const raw = row as Omit<StatementRow, 'isCurrent'> & { isCurrent: number };
  return { ...raw, isCurrent: raw.isCurrent === 1 };
};

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
  return asStatement(row);
}

export function periodsOf(sqlite: Database.Database, clientKey: string): { from: string; to: string }[] {
  return sqlite
    .prepare(
      `SELECT period_from AS "from", period_to AS "to" FROM statements WHERE client_key = ? ORDER BY period_to DESC, period_from`,
    )
    .all(clientKey) as { from: string; to: string }[];
}

export function transactionsOf(sqlite: Database.Database, statementId: number): StatementTransaction[] {
  return sqlite
    .prepare(`SELECT ${TRANSACTION_COLUMNS} FROM transactions WHERE statement_id = ? ORDER BY seq`)
    .all(statementId) as StatementTransaction[];
}

export function linesOf(sqlite: Database.Database, statementId: number): StatementLine[] {
  return sqlite
    .prepare(
      `SELECT transaction_seq AS transactionSeq, product, quantity, unit_price AS unitPrice, discount,
         discounted_unit_price AS discountedUnitPrice, total
       FROM product_lines WHERE statement_id = ? ORDER BY transaction_seq, line_no`,
    )
    .all(statementId) as StatementLine[];
}

export function anomaliesOf(sqlite: Database.Database, statementId: number) {
  const rows = sqlite
    .prepare('SELECT kind, message, page, line, reference FROM anomalies WHERE statement_id = ? ORDER BY seq')
    .all(statementId) as Pick<AnomalyRow, 'kind' | 'message' | 'page' | 'line' | 'reference'>[];
  return rows.map((row) => ({
    kind: row.kind,
    message: row.message,
    ...(row.page === null ? {} : { page: row.page }),
    ...(row.line === null ? {} : { line: row.line }),
    ...(row.reference === null ? {} : { reference: row.reference }),
  }));
}

/** Transactions of every customer's current statement (optionally one customer), in date order. */
export function currentTransactions(sqlite: Database.Database, clientKey?: string): StatementTransaction[] {
  const filter = clientKey ? 'AND s.client_key = ?' : '';
  return sqlite
    .prepare(
      `SELECT t.seq, t.client_key AS clientKey, t.date, t.reference, t.label, t.kind, t.total, t.effect, t.balance, t.page
       FROM statements s JOIN transactions t ON t.statement_id = s.id
       WHERE s.is_current = 1 ${filter} ORDER BY t.client_key, t.date, t.seq`,
    )
    .all(...(clientKey ? [clientKey] : [])) as StatementTransaction[];
}

export function currentStatements(sqlite: Database.Database, clientKey?: string): StatementRow[] {
  const filter = clientKey ? 'AND client_key = ?' : '';
  return sqlite
    .prepare(`SELECT ${STATEMENT_COLUMNS} FROM statements WHERE is_current = 1 ${filter}`)
    .all(...(clientKey ? [clientKey] : []))
    .map(asStatement);
}
