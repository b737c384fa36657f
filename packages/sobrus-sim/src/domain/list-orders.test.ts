import { describe, expect, it } from 'vitest';
import { generateCustomers } from './customers.js';
import { createdAt, pageCount, shuffledRows, sortedByName } from './list-orders.js';

const customers = generateCustomers('orders', 'a@sim.test', 60);
const ids = (list: { id: string }[]) => list.map((customer) => customer.id);

describe('list orders', () => {
  it('sorts by name, homonyms by id, without losing anyone', () => {
    const sorted = sortedByName(customers);
    expect(new Set(ids(sorted))).toEqual(new Set(ids(customers)));
    expect(ids(sorted)).not.toEqual(ids(customers));
    const tazis = sorted.filter((customer) => customer.name === 'Amine Tazi').map((customer) => Number(customer.id));
    expect(tazis).toEqual([...tazis].sort((a, b) => a - b));
    expect(ids(sortedByName([...customers].reverse()))).toEqual(ids(sorted));
  });

  it('shuffles the same way for the same seed and account, with row numbers 1..N out of order', () => {
    const rows = shuffledRows('s', 'a@sim.test', customers);
    expect(rows.map((row) => row.customer.id)).toEqual(
      shuffledRows('s', 'a@sim.test', customers).map((row) => row.customer.id),
    );
    expect(rows.map((row) => row.customer.id)).not.toEqual(ids(customers));
    const numbers = rows.map((row) => row.rowNumber);
    expect([...numbers].sort((a, b) => a - b)).toEqual(customers.map((_, index) => index + 1));
    expect(numbers).not.toEqual([...numbers].sort((a, b) => a - b));
    expect(shuffledRows('s', 'b@sim.test', customers).map((row) => row.rowNumber)).not.toEqual(numbers);
  });

  it('dates a record within the history, the same every time', () => {
    const at = createdAt('s', 'a@sim.test', '1234567', '2026-06-30');
    expect(at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
    expect(at >= '2017-01-01' && at <= '2026-06-31').toBe(true);
    expect(createdAt('s', 'a@sim.test', '1234567', '2026-06-30')).toBe(at);
  });

  it.each([
    [0, 20, 1],
    [20, 20, 1],
    [21, 20, 2],
    [301, 25, 13],
    [301, 50, 7],
  ])('%i items by %i make %i pages', (total, size, pages) => {
    expect(pageCount(total, size)).toBe(pages);
  });
});
