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
/** The cells of a product line, in the order of the columns. */
const productCells = (product: string, quantity: string, price: string, total: string) => ({
  product,
  quantity,
  price,
  total,
});

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
    expect(assignCells(longName, columns, isNumber)).toEqual(
      productCells('LANTUS SOLOSTAR 100 UI/ML SOL INJ', '2', '6,54', '13,08'),
    );
  });

  it('cuts a run that merges a quantity and a price, keeping a grouped amount whole', () => {
    const columns = buildColumns(matchHeader(header, SPEC)!, data);
    const merged = line([at('SPASFON', 90), { ...at('3 27,98', 316), width: 375 - 316 }, right('1 083,94', 440)]);
    expect(assignCells(merged, columns, isNumber)).toEqual(productCells('SPASFON', '3', '27,98', '1 083,94'));
  });
});

describe('columns from where the data is, whatever the header alignment', () => {
  type Main = 'date' | 'label' | 'total' | 'balance';
  const MAIN: ColumnSpec<Main>[] = [
    { key: 'date', labels: [['date']] },
    { key: 'label', labels: [['libelle']] },
    { key: 'total', labels: [['total']] },
    { key: 'balance', labels: [['solde']] },
  ];
  /** The cells of a statement row, in the order of the columns. */
  const rowCells = (date: string, label: string, total: string, balance: string) => ({ date, label, total, balance });
  const amount = (key: Main, text: string) =>
    key === 'total' || key === 'balance' ? /^-?\d{1,3}( \d{3})*,\d\d$/.test(text) : undefined;
  const rows = [
    line([at('2024-03-27', 40), at('Vente', 120), right('1 250,00', 400), right('15,44', 520)]),
    line([at('2024-03-28', 40), at('Paiement vente', 120), right('84,91', 400), right('-1 069,47', 520)]),
  ];

  it('left-aligned headers over right-aligned amounts: "Total" stands nearer the balances than its own amounts', () => {
    // Headers at the left of wide cells: "Total" starts where the label column ends, far left of its amounts.
    const header = line([at('Date', 40), at('Libellé', 120), at('Total', 300), at('Solde', 410)]);
    const columns = buildColumns(matchHeader(header, MAIN)!, rows, amount);
    expect(rows.map((row) => assignCells(row, columns))).toEqual([
      rowCells('2024-03-27', 'Vente', '1 250,00', '15,44'),
      rowCells('2024-03-28', 'Paiement vente', '84,91', '-1 069,47'),
    ]);
  });

  it.each([
    ['centred', [at('Date', 45), at('Libellé', 150), at('Total', 360), at('Solde', 475)]],
    ['right-aligned', [right('Date', 95), right('Libellé', 300), right('Total', 400), right('Solde', 520)]],
  ])('%s headers name the same columns', (_name, headerItems) => {
    const columns = buildColumns(matchHeader(line(headerItems), MAIN)!, rows, amount);
    expect(assignCells(rows[1]!, columns)).toEqual(rowCells('2024-03-28', 'Paiement vente', '84,91', '-1 069,47'));
  });

  it('a column empty on every row gets the place of its header; a wide gap inside a label does not split it', () => {
    const header = line([at('Date', 40), at('Libellé', 120), right('Total', 400), right('Solde', 520)]);
    const noLabels = [line([at('2024-03-27', 40), right('1 250,00', 400), right('15,44', 520)])];
    const emptyLabel = buildColumns(matchHeader(header, MAIN)!, noLabels, amount);
    expect(
      assignCells(line([at('2024-03-29', 40), at('Avoir', 125), right('1,00', 400), right('14,44', 520)]), emptyLabel),
    ).toEqual(rowCells('2024-03-29', 'Avoir', '1,00', '14,44'));
    const spaced = [
      line([at('2024-03-27', 40), at('Paiement', 120), at('chèque', 180), right('1 250,00', 400), right('15,44', 520)]),
    ];
    const columns = buildColumns(matchHeader(header, MAIN)!, spaced, amount);
    expect(assignCells(spaced[0]!, columns)).toEqual(rowCells('2024-03-27', 'Paiement chèque', '1 250,00', '15,44'));
  });

  it('reads a header wrapped over lines, its words stacked in their cells', () => {
    const top = at('P.U.', 300, 110);
    const middle = [at('Produit', 90, 105), at('Qté', 250, 105), at('Total', 360, 105)];
    const bottom = at('remisé', 296, 100);
    const spec: ColumnSpec<'product' | 'quantity' | 'discounted' | 'total'>[] = [
      { key: 'product', labels: [['produit']] },
      { key: 'quantity', labels: [['qte']] },
      { key: 'discounted', labels: [['p.u.', 'remise']] },
      { key: 'total', labels: [['total']] },
    ];
    const lines = [line([top]), line(middle), line([bottom])];
    expect(matchHeader(lines, spec)?.map((cell) => cell.key)).toEqual(['product', 'quantity', 'discounted', 'total']);
    expect(matchHeader(lines[1]!, spec)).toBeUndefined();
  });

  it('glues a header word a narrow cell broke over two lines ("Transactio" over "n")', () => {
    const spec: ColumnSpec<'date' | 'reference' | 'label'>[] = [
      { key: 'date', labels: [['date']] },
      { key: 'reference', labels: [['transaction', 'n°'], ['reference']] },
      { key: 'label', labels: [['libelle']] },
    ];
    const lines = [
      line([at('Date', 40, 110), at('Transactio', 110, 110), at('Libellé', 200, 110)]),
      line([at('n N°', 110, 102)]),
    ];
    expect(matchHeader(lines, spec)?.map((cell) => cell.key)).toEqual(['date', 'reference', 'label']);
  });
});
