import { describe, expect, it } from 'vitest';
import { assignCells, buildColumns, type ColumnSpec, matchHeader } from './columns.js';
import { groupLines, type Line } from './lines.js';
import type { TextItem } from './text-item.js';

const CHAR = 4;
const at = (str: string, x: number, y = 100): TextItem => ({ str, x, y, width: str.length * CHAR, height: 7 });
const right = (str: string, edge: number, y = 100) => at(str, edge - str.length * CHAR, y);
const line = (items: TextItem[]): Line => groupLines({ page: 1, width: 600, height: 800, items })[0]!;

type Key = 'product' | 'quantity' | 'price' | 'total';
const SPEC: ColumnSpec<Key>[] = [
  { key: 'product', labels: [['produit']] },
  { key: 'quantity', labels: [['qte']] },
  { key: 'price', labels: [['p.u.']] },
  { key: 'total', labels: [['total']] },
];
const isNumber = (key: Key, text: string) => key !== 'product' && /^[\d\s,%-]+$/.test(text);

describe('column reconstruction', () => {
  const header = line([at('Produit', 90), right('Qté', 320), right('P.U.', 375), right('Total', 440)]);
  const data = [line([at('DOLIPRANE 1000 MG CP B/8', 90), right('1', 320), right('15,90', 375), right('15,90', 440)])];

  it('finds a header whose labels are split into pieces or merged into one run', () => {
    const pieces = line([at('Prod', 90), at('uit', 90 + 4 * CHAR), right('Qté P.U.', 375), right('Total', 440)]);
    expect(matchHeader(pieces, SPEC)?.map((cell) => cell.key)).toEqual(['product', 'quantity', 'price', 'total']);
    expect(matchHeader(line([at('Produit', 90), right('Total', 440)]), SPEC)).toBeUndefined();
  });

  it('puts boundaries in the gaps left by the data, not in the middle of the headers', () => {
    const columns = buildColumns(matchHeader(header, SPEC)!, data);
    const longName = line([
      at('LANTUS SOLOSTAR 100 UI/ML SOL INJ', 90),
      right('2', 320),
      right('6,54', 375),
      right('13,08', 440),
    ]);
    expect(assignCells(longName, columns, isNumber)).toEqual({
      product: 'LANTUS SOLOSTAR 100 UI/ML SOL INJ',
      quantity: '2',
      price: '6,54',
      total: '13,08',
    });
  });

  it('cuts a run that merges a quantity and a price, keeping a grouped amount whole', () => {
    const columns = buildColumns(matchHeader(header, SPEC)!, data);
    const merged = line([at('SPASFON', 90), { ...at('3 27,98', 316), width: 375 - 316 }, right('1 083,94', 440)]);
    expect(assignCells(merged, columns, isNumber)).toEqual({
      product: 'SPASFON',
      quantity: '3',
      price: '27,98',
      total: '1 083,94',
    });
  });
});
