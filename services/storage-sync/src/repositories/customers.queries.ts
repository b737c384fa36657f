import { NotFoundError } from '@pharma/shared/errors';
import type Database from 'better-sqlite3';
import type { CustomerRow, StatementRow, TransactionRow } from '../db/schema.js';

/** A customer with its current statement's closing balance and verdict, and the date it last paid. */
export type CustomerSummary = Omit<CustomerRow, 'detailsAt'> & {
  balance: StatementRow['closingBalance'] | null;
  verdict: StatementRow['verdict'] | null;
  lastPaymentDate: TransactionRow['date'] | null;
};

const CUSTOMER_COLUMNS = `
  c.client_key AS clientKey, c.name, c.seed_name AS seedName, c.email, c.phone, c.organisme, c.immatriculation,
  s.closing_balance AS balance, s.verdict,
  (SELECT MAX(t.date) FROM transactions t WHERE t.client_key = c.client_key AND t.kind = 'payment') AS lastPaymentDate
  FROM customers c LEFT JOIN statements s ON s.client_key = c.client_key AND s.is_current = 1`;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export function searchCustomers(
  sqlite: Database.Database,
  { search, offset, limit }: { search?: string; offset: number; limit: number },
): { total: number; items: CustomerSummary[] } {
  const term = search?.trim();
  const where = term
    ? `WHERE c.name LIKE @like ESCAPE '\\' OR c.client_key LIKE @like ESCAPE '\\'
         OR c.email LIKE @like ESCAPE '\\' OR c.phone LIKE @like ESCAPE '\\'`
    : '';
  const params = { like: `%${escapeLike(term ?? '')}%`, offset, limit };
  const { total } = sqlite.prepare(`SELECT COUNT(*) AS total FROM customers c ${where}`).get(term ? params : {}) as {
    total: number;
  };
  const items = sqlite
    .prepare(`SELECT ${CUSTOMER_COLUMNS} ${where} ORDER BY c.name, c.client_key LIMIT @limit OFFSET @offset`)
    .all(params) as CustomerSummary[];
  return { total, items };
}

export function requireCustomer(sqlite: Database.Database, clientKey: string): CustomerSummary {
  const row = sqlite.prepare(`SELECT ${CUSTOMER_COLUMNS} WHERE c.client_key = ?`).get(clientKey) as
    | CustomerSummary
    | undefined;
  if (!row) throw new NotFoundError(`Customer ${clientKey} is not known`);
  return row;
}

export function allCustomers(sqlite: Database.Database): CustomerSummary[] {
  return sqlite.prepare(`SELECT ${CUSTOMER_COLUMNS} ORDER BY c.name, c.client_key`).all() as CustomerSummary[];
}
