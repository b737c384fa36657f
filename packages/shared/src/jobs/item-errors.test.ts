import { describe, expect, it } from 'vitest';
import { ItemErrors, MAX_ITEM_ERRORS } from './item-errors.js';

const error = (n: number) => ({ item: `file-${n}`, code: 'BAD', message: `file ${n} is bad` });

describe('ItemErrors', () => {
  it('lists errors up to the cap and counts every one', () => {
    const errors = new ItemErrors(3);
    const listed = [1, 2, 3, 4, 5].map((n) => errors.add(error(n)));
    expect(listed).toEqual([true, true, true, false, false]);
    expect(errors.take().map((e) => e.item)).toEqual(['file-1', 'file-2', 'file-3']);
    expect(errors.total).toBe(5);
    expect(errors.unlisted).toBe(2);
  });

  it('caps over the whole run, not per write', () => {
    const errors = new ItemErrors(2);
    errors.add(error(1));
    expect(errors.take()).toHaveLength(1);
    errors.add(error(2));
    errors.add(error(3));
    expect(errors.take().map((e) => e.item)).toEqual(['file-2']);
    expect(errors.take()).toEqual([]);
  });

  it('puts errors of a failed write back before the newer ones', () => {
    const errors = new ItemErrors();
    errors.add(error(1));
    const taken = errors.take();
    errors.add(error(2));
    errors.giveBack(taken);
    expect(errors.take().map((e) => e.item)).toEqual(['file-1', 'file-2']);
  });

  it('has one platform-wide cap', () => {
    expect(new ItemErrors().max).toBe(MAX_ITEM_ERRORS);
    expect(MAX_ITEM_ERRORS).toBe(500);
  });
});
