import type { StorageBalanceRow } from '@pharma/shared/contracts';
import type { Static } from '@sinclair/typebox';
import type Database from 'better-sqlite3';
import { ageReceivables, type CustomerAgeing, sumAgeing } from '../domain/ageing.js';
import { groupBy } from '../domain/group-by.js';
import { allCustomers, requireCustomer } from '../repositories/customers.queries.js';
import {
  anomaliesOf,
  currentStatements,
  currentTransactions,
  findStatement,
  type Kind,
  linesOf,
  periodsOf,
  transactionsOf,
} from '../repositories/statements.queries.js';

const round2 = (value: number) => Math.round(value * 100) / 100;

export function statementView(sqlite: Database.Database, clientKey: string, period: { from?: string; to?: string }) {
  const customer = requireCustomer(sqlite, clientKey);
  const statement = findStatement(sqlite, clientKey, period);
  const lines = groupBy(linesOf(sqlite, statement.id), (line) => line.transactionSeq);
  const { id: _id, jobId: _jobId, clientKey: key, periodFrom, periodTo, isCurrent, ...summary } = statement;
  return {
    customer,
    statement: {
      clientKey: key,
      from: periodFrom,
      to: periodTo,
      ...summary,
      current: isCurrent,
      difference: round2(statement.closingBalance - statement.computedClosingBalance),
    },
    transactions: transactionsOf(sqlite, statement.id).map(({ clientKey: _key, ...t }) => ({
      ...t,
      lines: (lines.get(t.seq) ?? []).map(({ transactionSeq: _seq, ...line }) => line),
    })),
    anomalies: anomaliesOf(sqlite, statement.id),
    periods: periodsOf(sqlite, clientKey),
  };
}

/** A customer's row of the balances answer (`rpc.storage-sync.balances`). */
export type BalanceRow = Static<typeof StorageBalanceRow>;

const VERDICT_RANK: Record<string, number> = { mismatch: 0, ok_with_anomalies: 1, ok: 2 };

/** Every customer with its current statement's balances; discrepancies (mismatch, then anomalies) first on request. */
export function balances(sqlite: Database.Database, { discrepanciesFirst = false } = {}) {
  const statements = new Map(currentStatements(sqlite).map((s) => [s.clientKey, s]));
  const rows: BalanceRow[] = allCustomers(sqlite).map((c) => {
    const s = statements.get(c.clientKey);
    return {
      clientKey: c.clientKey,
      name: c.name,
      from: s?.periodFrom ?? null,
      to: s?.periodTo ?? null,
      openingBalance: s?.openingBalance ?? null,
      closingBalance: s?.closingBalance ?? null,
      computedClosingBalance: s?.computedClosingBalance ?? null,
      difference: s ? round2(s.closingBalance - s.computedClosingBalance) : null,
      verdict: s?.verdict ?? null,
    };
  });
  if (discrepanciesFirst) {
    rows.sort((a, b) => (VERDICT_RANK[a.verdict ?? ''] ?? 3) - (VERDICT_RANK[b.verdict ?? ''] ?? 3));
  }
  const verdicts = { ok: 0, ok_with_anomalies: 0, mismatch: 0, none: 0 };
  for (const row of rows) verdicts[row.verdict ?? 'none']++;
  return { rows, verdicts };
}

const KIND_FIELD: Record<Kind, 'sales' | 'payments' | 'returns' | 'creditNotes' | 'other'> = {
  sale: 'sales',
  payment: 'payments',
  return: 'returns',
  credit_note: 'creditNotes',
  other: 'other',
};

/** Printed totals (and balance effects) per kind, like the original screen, over current statements. */
export function totals(sqlite: Database.Database, filter: { clientKey?: string; from?: string; to?: string }) {
  const empty = () => ({ count: 0, total: 0, effect: 0 });
  const sums = { sales: empty(), payments: empty(), creditNotes: empty(), returns: empty(), other: empty() };
  for (const t of currentTransactions(sqlite, filter.clientKey)) {
    if ((filter.from && t.date < filter.from) || (filter.to && t.date > filter.to)) continue;
    const sum = sums[KIND_FIELD[t.kind]];
    sum.count++;
    sum.total += Math.round(t.total * 100);
    sum.effect += Math.round(t.effect * 100);
  }
  for (const sum of Object.values(sums)) {
    sum.total /= 100;
    sum.effect /= 100;
  }
  const statements = currentStatements(sqlite, filter.clientKey);
  const balance = statements.reduce((acc, s) => acc + Math.round(s.closingBalance * 100), 0) / 100;
  return { customers: statements.length, ...sums, balance };
}

export interface CustomerAgeingRow extends CustomerAgeing {
  clientKey: string;
  name: string;
}

/** Receivables ageing per customer (from its current statement) and overall, as of a date. */
export function ageing(sqlite: Database.Database, { asOf, clientKey }: { asOf: string; clientKey?: string }) {
  const names = new Map(allCustomers(sqlite).map((c) => [c.clientKey, c.name]));
  const byCustomer = groupBy(currentTransactions(sqlite, clientKey), (t) => t.clientKey);
  const rows: CustomerAgeingRow[] = currentStatements(sqlite, clientKey).map((s) => ({
    clientKey: s.clientKey,
    name: names.get(s.clientKey) ?? s.clientKey,
    ...ageReceivables({ date: s.periodFrom, balance: s.openingBalance }, byCustomer.get(s.clientKey) ?? [], asOf),
  }));
  const customers = rows
    .filter((row) => row.outstanding !== 0 || row.unappliedCredit !== 0)
    .sort((a, b) => b.outstanding - a.outstanding || a.name.localeCompare(b.name));
  return { asOf, overall: sumAgeing(rows), customers };
}

/** Customers owing the most, with the date they last paid. */
export function topDebtors(sqlite: Database.Database, limit: number) {
  return allCustomers(sqlite)
    .filter((c) => c.balance !== null && c.balance > 0)
    .sort((a, b) => b.balance! - a.balance! || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map((c) => ({ clientKey: c.clientKey, name: c.name, balance: c.balance!, lastPaymentDate: c.lastPaymentDate }));
}
