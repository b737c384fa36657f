import type { TransactionKind as TransactionKindSchema } from '@pharma/shared/contracts';
import type { Static } from '@sinclair/typebox';
import { CASH_REFUND_LABEL, CREDIT_NOTE_LABELS, PAYMENT_LABELS, PRODUCTS, RETURN_LABELS } from './catalog.js';
import type { ActivityTier, SimCustomer } from './customers.js';
import { dayToIso, HISTORY_START, isoToDay } from './dates.js';
import { type Cents, roundCents } from './money.js';
import { createRandom, type Random } from './prng.js';

/** The contract's kinds: the ground truth (`truth.ts`) is compared with what the platform's parser reads. */
export type TransactionKind = Static<typeof TransactionKindSchema>;

export interface LedgerLine {
  product: string;
  quantity: number;
  unitPrice: Cents;
  /** Percent, e.g. 10 for 10 %. */
  discount: number;
  discountedUnitPrice: Cents;
  total: Cents;
}

export interface LedgerEntry {
  day: number;
  date: string;
  reference: string;
  label: string;
  kind: TransactionKind;
  /** As printed: never negative. */
  total: Cents;
  /** What the row does to the balance; 0 for a cash refund of a return. */
  effect: Cents;
  lines: LedgerLine[];
}

export interface Ledger {
  /** Balance carried over from before the simulated history; may be negative. */
  initialBalance: Cents;
  /** In date order. */
  entries: LedgerEntry[];
}

const SLOTS_BY_TIER: Record<ActivityTier, [number, number]> = {
  single: [1, 1],
  dormant: [2, 6],
  light: [10, 60],
  regular: [60, 220],
  heavy: [690, 740],
  wholesale: [40, 120],
};

const DISCOUNTS = [5, 10, 15, 20, 25, 30] as const;

type ReferencePrefix = 'V' | 'P' | 'R' | 'A';

/** The whole history of one customer, from its first day to `today`, derived only from the seed and ids. */
export function generateLedger(seed: string, accountEmail: string, customer: SimCustomer, today: string): Ledger {
  const random = createRandom(seed, 'ledger', accountEmail, customer.id);
  const builder = new LedgerBuilder(random, customer.tier === 'wholesale');
  const initialBalance = pickInitialBalance(random);
  builder.balance = initialBalance;
  const lastDay = isoToDay(today);
  const firstDay = customer.tier === 'heavy' ? isoToDay(HISTORY_START) : pickFirstDay(random, lastDay);
  const [min, max] = SLOTS_BY_TIER[customer.tier];
  const days = Array.from({ length: random.int(min, max) }, () => random.int(firstDay, lastDay)).sort((a, b) => a - b);
  for (const day of days) {
    if (customer.tier === 'single') builder.sale(day);
    else builder.slot(day);
  }
  return { initialBalance, entries: builder.entries };
}

function pickInitialBalance(random: Random): Cents {
  const roll = random.next();
  if (roll < 0.65) return 0;
  if (roll < 0.9) return random.int(100, 2_000_000);
  return -random.int(1, 500_000);
}

function pickFirstDay(random: Random, lastDay: number): number {
  const start = isoToDay(HISTORY_START);
  return start + Math.floor(random.next() * random.next() * (lastDay - start));
}

class LedgerBuilder {
  readonly entries: LedgerEntry[] = [];
  balance: Cents = 0;
  private readonly sales: LedgerEntry[] = [];
  private readonly counters: Record<ReferencePrefix, number> = { V: 0, P: 0, R: 0, A: 0 };

  constructor(
    private readonly random: Random,
    private readonly wholesale: boolean,
  ) {
    for (const prefix of ['V', 'P', 'R', 'A'] as const) {
      this.counters[prefix] = random.int(1, 90_000);
    }
  }

  slot(day: number): void {
    const roll = this.random.next();
    if (roll < 0.3 && this.balance > 0) this.payment(day);
    else if (roll < 0.36 && this.sales.length > 0) this.return(day);
    else if (roll < 0.4) this.creditNote(day);
    else this.sale(day);
  }

  sale(day: number): void {
    const lines = Array.from({ length: this.random.int(1, this.wholesale ? 3 : 6) }, () => this.line(day));
    const total = lines.reduce((sum, line) => sum + line.total, 0);
    const entry = this.push(day, 'V', 'Vente', 'sale', total, total, lines);
    this.sales.push(entry);
    if (this.random.chance(0.35)) this.push(day, 'P', 'Paiement vente', 'payment', total, -total, []);
  }

  private payment(day: number): void {
    const roll = this.random.next();
    let amount: Cents;
    if (roll < 0.45) amount = this.balance;
    else if (roll < 0.8) amount = Math.max(1, Math.round((this.balance * this.random.int(10, 90)) / 100));
    else if (roll < 0.9) amount = this.balance + this.random.int(1_000, 50_000);
    else amount = this.random.int(1, 99);
    this.push(day, 'P', this.random.pick(PAYMENT_LABELS), 'payment', amount, -amount, []);
  }

  private return(day: number): void {
    const sale = this.random.pick(this.sales.slice(-10));
    const picked = sale.lines.slice(0, this.random.int(1, Math.min(2, sale.lines.length)));
    const lines = picked.map((line) => {
      const quantity = this.random.int(1, line.quantity);
      return { ...line, quantity, total: line.discountedUnitPrice * quantity };
    });
    const total = lines.reduce((sum, line) => sum + line.total, 0);
    this.push(day, 'R', this.random.pick(RETURN_LABELS), 'return', total, -total, lines);
    // Returns paid back in cash: the refund row does not move the balance (the real site prints it so).
    if (this.random.chance(0.5)) this.push(day, 'P', CASH_REFUND_LABEL, 'payment', total, 0, []);
  }

  private creditNote(day: number): void {
    const amount = this.random.chance(0.2) ? this.random.int(1, 9) : this.random.int(500, 80_000);
    this.push(day, 'A', this.random.pick(CREDIT_NOTE_LABELS), 'credit_note', amount, -amount, []);
  }

  private line(day: number): LedgerLine {
    const product = this.random.pick(PRODUCTS);
    const years = (day - isoToDay(HISTORY_START)) / 365;
    const unitPrice = product.price <= 100 ? product.price : roundCents(product.price * (1 + 0.03 * Math.floor(years)));
    const quantity = this.wholesale ? this.random.int(5, 60) : this.random.chance(0.7) ? 1 : this.random.int(2, 12);
    const discount = this.random.chance(0.8) ? 0 : this.random.pick(DISCOUNTS);
    const discountedUnitPrice = roundCents((unitPrice * (100 - discount)) / 100);
    return {
      product: product.name,
      quantity,
      unitPrice,
      discount,
      discountedUnitPrice,
      total: discountedUnitPrice * quantity,
    };
  }

  private push(
    day: number,
    prefix: ReferencePrefix,
    label: string,
    kind: TransactionKind,
    total: Cents,
    effect: Cents,
    lines: LedgerLine[],
  ): LedgerEntry {
    this.counters[prefix] += 1;
    const reference = `${prefix}-${this.counters[prefix].toString().padStart(6, '0')}`;
    const entry = { day, date: dayToIso(day), reference, label, kind, total, effect, lines };
    this.entries.push(entry);
    this.balance += effect;
    return entry;
  }
}
