import { describe, expect, it } from 'vitest';
import { generateCustomers } from './customers.js';
import { generateLedger } from './ledger.js';
import { buildStatement } from './statement.js';

const SEED = 'unit';
const ACCOUNT = 'demo@pharmacie-demo.ma';
const TODAY = '2026-06-30';
const customers = generateCustomers(SEED, ACCOUNT, 259);

describe('generateCustomers', () => {
  it('has unique ids and the quirks scrapers meet', () => {
    expect(customers).toHaveLength(259);
    expect(new Set(customers.map((c) => c.id)).size).toBe(259);
    const names = customers.map((c) => c.name);
    expect(names.length - new Set(names).size).toBeGreaterThan(0);
    expect(names.filter((n) => n === 'Amine Tazi').length).toBeGreaterThanOrEqual(2);
    expect(names.some((n) => /[éèïëâç]/.test(n))).toBe(true);
    expect(names.some((n) => /['’]/.test(n))).toBe(true);
    expect(names.some((n) => n.length > 100)).toBe(true);
  });

  it('is deterministic', () => {
    expect(generateCustomers(SEED, ACCOUNT, 259)).toEqual(customers);
    expect(generateCustomers('other', ACCOUNT, 259)).not.toEqual(customers);
  });
});

describe('generateLedger and buildStatement', () => {
  const ledgers = customers.slice(0, 40).map((customer) => generateLedger(SEED, ACCOUNT, customer, TODAY));

  it('is deterministic and ends by today', () => {
    const customer = customers[2]!;
    expect(generateLedger(SEED, ACCOUNT, customer, TODAY)).toEqual(ledgers[2]);
    for (const ledger of ledgers) {
      for (const entry of ledger.entries) expect(entry.date <= TODAY && entry.date >= '2017-01-01').toBe(true);
    }
  });

  it('prints running balances that reconcile, with unsigned totals', () => {
    for (const ledger of ledgers) {
      const statement = buildStatement(ledger, '2019-03-01', '2024-02-29');
      let balance = statement.openingBalance;
      for (const row of statement.rows) {
        balance += row.effect;
        expect(row.balance).toBe(balance);
        expect(row.total).toBeGreaterThanOrEqual(0);
        expect(row.date >= '2019-03-01' && row.date <= '2024-02-29').toBe(true);
      }
      expect(statement.closingBalance).toBe(balance);
    }
  });

  it('carries the balance before the period as the opening balance', () => {
    const ledger = ledgers[0]!;
    const whole = buildStatement(ledger, '2017-01-01', TODAY);
    const later = buildStatement(ledger, '2022-01-01', TODAY);
    const before = whole.rows.filter((row) => row.date < '2022-01-01');
    expect(later.openingBalance).toBe(before.at(-1)?.balance ?? whole.openingBalance);
    expect(later.closingBalance).toBe(whole.closingBalance);
  });

  it('has cash refunds that follow a return and do not move the balance', () => {
    const entries = ledgers.flatMap((ledger) => ledger.entries);
    const refunds = entries.filter((entry) => entry.label === 'Remboursement espèces');
    expect(refunds.length).toBeGreaterThan(0);
    for (const refund of refunds) {
      const previous = entries[entries.indexOf(refund) - 1]!;
      expect(previous.kind).toBe('return');
      expect(refund.total).toBe(previous.total);
      expect(refund.effect).toBe(0);
      expect(refund.kind).toBe('payment');
    }
  });

  it('covers tiny and very large amounts and product lines that add up', () => {
    const entries = ledgers.flatMap((ledger) => ledger.entries);
    expect(entries.some((entry) => entry.total < 100)).toBe(true);
    expect(entries.some((entry) => entry.total > 10_000_000)).toBe(true);
    for (const entry of entries.filter((e) => e.kind === 'sale')) {
      expect(entry.lines.reduce((sum, line) => sum + line.total, 0)).toBe(entry.total);
      for (const line of entry.lines) expect(line.total).toBe(line.discountedUnitPrice * line.quantity);
    }
  });
});
