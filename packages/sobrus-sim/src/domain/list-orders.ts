import type { SimCustomer } from './customers.js';
import { dayToIso, HISTORY_START, isoToDay } from './dates.js';
import { createRandom } from './prng.js';

const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });

/** By name as a French reader sorts, homonyms by id: a total order, the same on every request. */
export function sortedByName(customers: readonly SimCustomer[]): SimCustomer[] {
  return [...customers].sort((a, b) => collator.compare(a.name, b.name) || compareIds(a.id, b.id));
}

function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

export interface NumberedRow {
  /** The back office's own row number (1..N), unrelated to the customer id and to the list order. */
  rowNumber: number;
  customer: SimCustomer;
}

/**
 * The customers in a seeded shuffle (Fisher–Yates), each with its row number (its place in creation order), so
 * neither the ids nor the row numbers follow the list order, and the order is the same on every request.
 */
export function shuffledRows(seed: string, account: string, customers: readonly SimCustomer[]): NumberedRow[] {
  const rows = customers.map((customer, index) => ({ rowNumber: index + 1, customer }));
  const random = createRandom(seed, 'list-shuffle', account);
  for (let i = rows.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [rows[i], rows[j]] = [rows[j] as NumberedRow, rows[i] as NumberedRow];
  }
  return rows;
}

/** When a customer record was created: a seeded instant between the start of the history and `today`. */
export function createdAt(seed: string, account: string, customerId: string, today: string): string {
  const random = createRandom(seed, 'created-at', account, customerId);
  const day = random.int(isoToDay(HISTORY_START), isoToDay(today));
  const seconds = random.int(8 * 3600, 20 * 3600);
  const time = new Date(seconds * 1000).toISOString().slice(11, 19);
  return `${dayToIso(day)}T${time}.000Z`;
}

/** Pages of `size` over `total` items: at least one, so an empty list still shows page 1. */
export function pageCount(total: number, size: number): number {
  return Math.max(1, Math.ceil(total / size));
}
