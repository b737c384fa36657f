export interface LedgerEntry {
  date: string;
  /** Signed balance change: positive = the customer owes more (a sale), negative = a payment, credit note or return. */
  effect: number;
}

export interface AgeingBuckets {
  days0to30: number;
  days31to60: number;
  days61to90: number;
  over90: number;
}

export interface CustomerAgeing extends AgeingBuckets {
  /** Sum of the buckets: what is still unpaid. */
  outstanding: number;
  /** Payments and credits not matched against any sale (the customer paid in advance). */
  unappliedCredit: number;
  /** outstanding - unappliedCredit: the balance as of the date. */
  balance: number;
}

const DAY_MS = 86_400_000;
const cents = (value: number) => Math.round(value * 100);
const fromCents = (value: number) => value / 100;

export function ageInDays(date: string, asOf: string): number {
  return Math.floor((Date.parse(`${asOf}T00:00:00Z`) - Date.parse(`${date}T00:00:00Z`)) / DAY_MS);
}

function bucketOf(age: number): keyof AgeingBuckets {
  if (age <= 30) return 'days0to30';
  if (age <= 60) return 'days31to60';
  if (age <= 90) return 'days61to90';
  return 'over90';
}

/**
 * Splits a customer's unpaid balance by the age of the sales that make it up, matching payments, credit notes
 * and returns against the oldest unpaid sales first (FIFO). An opening debit counts as a sale on the opening
 * date; entries after `asOf` are ignored. Works in cents so sums stay exact.
 */
export function ageReceivables(
  opening: { date: string; balance: number },
  entries: readonly LedgerEntry[],
  asOf: string,
): CustomerAgeing {
  const debits: { date: string; remaining: number }[] = [];
  let credit = 0;
  const apply = (date: string, effect: number) => {
    if (effect > 0) {
      const matched = Math.min(credit, effect);
      credit -= matched;
      if (effect > matched) debits.push({ date, remaining: effect - matched });
      return;
    }
    let amount = -effect;
    while (amount > 0 && debits.length > 0) {
      const oldest = debits[0]!;
      const matched = Math.min(oldest.remaining, amount);
      oldest.remaining -= matched;
      amount -= matched;
      if (oldest.remaining === 0) debits.shift();
    }
    credit += amount;
  };

  if (opening.date <= asOf) apply(opening.date, cents(opening.balance));
  for (const entry of [...entries].filter((e) => e.date <= asOf).sort((a, b) => a.date.localeCompare(b.date))) {
    apply(entry.date, cents(entry.effect));
  }

  const buckets: AgeingBuckets = { days0to30: 0, days31to60: 0, days61to90: 0, over90: 0 };
  for (const debit of debits) buckets[bucketOf(ageInDays(debit.date, asOf))] += debit.remaining;
  const outstanding = buckets.days0to30 + buckets.days31to60 + buckets.days61to90 + buckets.over90;
  return {
    days0to30: fromCents(buckets.days0to30),
    days31to60: fromCents(buckets.days31to60),
    days61to90: fromCents(buckets.days61to90),
    over90: fromCents(buckets.over90),
    outstanding: fromCents(outstanding),
    unappliedCredit: fromCents(credit),
    balance: fromCents(outstanding - credit),
  };
}

/** Adds customers' ageing into the pharmacy's overall figures. */
export function sumAgeing(items: readonly CustomerAgeing[]): CustomerAgeing {
  const total = {
    days0to30: 0,
    days31to60: 0,
    days61to90: 0,
    over90: 0,
    outstanding: 0,
    unappliedCredit: 0,
    balance: 0,
  };
  for (const item of items) {
    for (const key of Object.keys(total) as (keyof CustomerAgeing)[]) total[key] += cents(item[key]);
  }
  return Object.fromEntries(Object.entries(total).map(([k, v]) => [k, fromCents(v)])) as unknown as CustomerAgeing;
}
