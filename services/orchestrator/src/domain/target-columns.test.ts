import { describe, expect, it } from 'vitest';
import { loadTargetHeader } from '../files/target-header.js';
import { columnType, TARGET_COLUMNS } from './target-columns.js';

describe('target columns', () => {
  it('are the columns of the shipped report_header.xlsx, in order', async () => {
    const header = await loadTargetHeader();
    expect(header.columns).toEqual([...TARGET_COLUMNS]);
  });

  it('types amounts and sums as numbers, periods and expiry as dates', () => {
    expect(columnType('amount_type_3')).toBe('numeric');
    expect(columnType('sum_nds')).toBe('numeric');
    expect(columnType('period')).toBe('date');
    expect(columnType('date_godnost')).toBe('date');
    expect(columnType('client_inn')).toBe('text');
  });
});
