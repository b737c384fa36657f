import { isoToDay } from './dates.js';
import type { Ledger, LedgerEntry } from './ledger.js';
import type { Cents } from './money.js';

export interface StatementRow extends LedgerEntry {
  /** Running balance after this row, as printed in the Solde column. */
  balance: Cents;
}

export interface StatementData {
  startDate: string;
  endDate: string;
  openingBalance: Cents;
  closingBalance: Cents;
  rows: StatementRow[];
}

/** A period of a ledger: rows dated within [start, end] (both included), opening = balance before start. */
export function buildStatement(ledger: Ledger, startDate: string, endDate: string): StatementData {
  const startDay = isoToDay(startDate);
  const endDay = isoToDay(endDate);
  let balance = ledger.initialBalance;
  let openingBalance = balance;
  const rows: StatementRow[] = [];
  for (const entry of ledger.entries) {
    if (entry.day > endDay) break;
    balance += entry.effect;
    if (entry.day < startDay) openingBalance = balance;
    else rows.push({ ...entry, balance });
  }
  return { startDate, endDate, openingBalance, closingBalance: balance, rows };
}
