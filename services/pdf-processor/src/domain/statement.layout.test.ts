import { describe, expect, it } from 'vitest';
import { readStatementLayout } from './statement.layout.js';
import { parseStatementPages } from './statement.parser.js';
import type { PageText, TextItem } from './text-item.js';

const CHAR = 4.5;
/** A left-aligned item. */
const at = (str: string, x: number, y: number): TextItem => ({ str, x, y, width: str.length * CHAR, height: 9 });
/** A right-aligned item ending at `right`. */
const right = (str: string, rightEdge: number, y: number): TextItem => at(str, rightEdge - str.length * CHAR, y);

const header = (y: number) => [
  at('Date', 40, y),
  at('Transaction N°', 110, y),
  at('Libellé', 200, y),
  right('Total', 460, y),
  right('Solde', 530, y),
];
const row = (y: number, date: string, ref: string, label: string, total: string, balance: string) => [
  at(date, 40, y),
  at(ref, 110, y),
  at(label, 200, y),
  right(total, 460, y),
  right(balance, 530, y),
];
const page = (number: number, items: TextItem[]): PageText => ({ page: number, width: 595, height: 842, items });

describe('readStatementLayout', () => {
  it('reads balances and rows whatever the item order, with amounts wider than their header', () => {
    const items = [
      at('Solde initial : -1 234,56', 40, 780),
      ...header(740),
      ...row(725, '2024-03-27', 'V-000123', 'Vente', '1 250,00', '15,44'),
      ...row(712, '2024-03-28', 'P-000045', 'Paiement vente', '84,91', '-12\u202F345\u202F069,47'),
      at('Solde final : -12\u202F345\u202F069,47', 40, 690),
    ];
    const layout = readStatementLayout([page(1, [...items].reverse())]);
    expect(layout.openingCents).toBe(-123456);
    expect(layout.closingCents).toBe(-1234506947);
    expect(layout.transactions).toEqual([
      expect.objectContaining({ date: '2024-03-27', reference: 'V-000123', label: 'Vente', totalCents: 125000 }),
      expect.objectContaining({ label: 'Paiement vente', totalCents: 8491, balanceCents: -1234506947, line: 4 }),
    ]);
  });

  it('joins pieces of one amount and splits an item that spans two columns', () => {
    const items = [
      at('Solde initial : 0,00', 40, 780),
      ...header(740),
      at('2024-03-27', 40, 725),
      at('V-1', 110, 725),
      at('Vente', 200, 725),
      right('250,00', 460, 725),
      right('1', 460 - 6 * CHAR - 3, 725),
      right('1 250,00', 530, 725),
      // One run drawn across the label and total columns.
      at('2024-03-28', 40, 712),
      at('P-1', 110, 712),
      { str: 'Paiement vente 50,00', x: 200, y: 712, width: 460 - 200, height: 9 },
      right('1 200,00', 530, 712),
      at('Solde final : 1 200,00', 40, 690),
    ];
    const layout = readStatementLayout([page(1, items)]);
    expect(layout.transactions.map((t) => [t.label, t.totalCents, t.balanceCents])).toEqual([
      ['Vente', 125000, 125000],
      ['Paiement vente', 5000, 120000],
    ]);
  });

  it('joins wrapped labels, drops repeated headers and footers, and keeps product lines with their row', () => {
    const productHeader = (y: number) => [
      at('Produit', 60, y),
      at('Qté', 230, y),
      right('P.U.', 310, y),
      right('Remise', 360, y),
      right('P.U. remisé', 420, y),
      right('Total', 480, y),
    ];
    const product = (
      y: number,
      name: string,
      qty: string,
      pu: string,
      discount: string,
      pur: string,
      total: string,
    ) => [
      at(name, 60, y),
      at(qty, 230, y),
      right(pu, 310, y),
      right(discount, 360, y),
      right(pur, 420, y),
      right(total, 480, y),
    ];
    const page1 = page(1, [
      at('Solde initial : 0,00', 40, 780),
      ...header(740),
      ...row(725, '2024-03-27', 'V-1', 'Vente avec un libellé', '1 250,00', '1 250,00'),
      at('qui continue ici', 200, 714),
      ...productHeader(700),
      ...product(688, 'DOLIPRANE 1000MG', '2', '625,00', '0', '625,00', '1 250,00'),
      at('Page 1 / 2', 280, 40),
    ]);
    const page2 = page(2, [
      ...header(800),
      ...product(785, 'SPASFON', '1', '10,00', '10', '9,00', '9,00'),
      ...row(770, '2024-03-28', 'P-1', 'Paiement vente', '250,00', '1 000,00'),
      at('Solde final : 1 000,00', 40, 740),
      at('Page 2 / 2', 280, 40),
    ]);
    const layout = readStatementLayout([page1, page2]);
    expect(layout.transactions).toHaveLength(2);
    const [sale, payment] = layout.transactions;
    expect(sale?.label).toBe('Vente avec un libellé qui continue ici');
    expect(sale?.lines).toEqual([
      {
        product: 'DOLIPRANE 1000MG',
        quantity: 2,
        unitPriceCents: 62500,
        discount: 0,
        discountedUnitPriceCents: 62500,
        totalCents: 125000,
      },
      {
        product: 'SPASFON',
        quantity: 1,
        unitPriceCents: 1000,
        discount: 10,
        discountedUnitPriceCents: 900,
        totalCents: 900,
      },
    ]);
    expect(payment).toEqual(expect.objectContaining({ label: 'Paiement vente', page: 2, lines: [] }));
    expect(layout.closingCents).toBe(100000);
  });

  it('reports a dated row without a readable balance as a break in the chain', () => {
    const layout = readStatementLayout([
      page(1, [
        at('Solde initial : 0,00', 40, 780),
        ...header(740),
        ...row(725, '2024-03-27', 'V-1', 'Vente', '12,00', '12;00'),
        at('Solde final : 12,00', 40, 700),
      ]),
    ]);
    expect(layout.transactions).toEqual([]);
    expect(layout.anomalies).toEqual([
      expect.objectContaining({ kind: 'balance_chain_break', page: 1, line: 3, reference: 'V-1' }),
    ]);
  });

  it('reads a statement printed with ligatures, a wrapped header and labels centred around their row', () => {
    const items = [
      at('Solde initial : 0,00', 40, 780),
      at('Transaction', 110, 745),
      at('Date', 40, 740),
      at('Libellé', 200, 740),
      right('Total', 460, 740),
      right('Solde', 530, 740),
      at('N°', 110, 735),
      // A three-line label around its row, then a two-line label with the row between its lines.
      at('Avoir sur facture', 200, 722),
      ...row(712, '2024-03-27', 'A-1', 'suite à une erreur', '10,00', '-10,00'),
      at('de prix', 200, 702),
      at('Paiement par', 200, 685),
      at('2024-03-28', 40, 680),
      at('P-1', 110, 680),
      right('5,00', 460, 680),
      right('-15,00', 530, 680),
      at('chèque', 200, 675),
      at('Solde \ufb01nal : -15,00', 40, 650),
    ];
    const layout = readStatementLayout([page(1, items)]);
    expect(layout.closingCents).toBe(-1500);
    expect(layout.transactions.map((t) => [t.reference, t.label])).toEqual([
      ['A-1', 'Avoir sur facture suite à une erreur de prix'],
      ['P-1', 'Paiement par chèque'],
    ]);
  });

  it('carries a wrapped label over a page break, below the repeated header', () => {
    const layout = readStatementLayout([
      page(1, [
        at('Solde initial : 0,00', 40, 780),
        ...header(740),
        ...row(725, '2024-03-27', 'V-1', 'Vente livrée', '10,00', '10,00'),
        at('Page 1 / 2', 280, 40),
      ]),
      page(2, [
        ...header(800),
        at('au dépôt central', 200, 785),
        ...row(770, '2024-03-28', 'P-1', 'Paiement', '10,00', '0,00'),
        at('Solde final : 0,00', 40, 740),
      ]),
    ]);
    expect(layout.transactions.map((t) => t.label)).toEqual(['Vente livrée au dépôt central', 'Paiement']);
  });

  it('says mismatch, naming the row, when a row or a product line cannot be read', () => {
    const statement = parseStatementPages([
      page(1, [
        at('Solde initial : 0,00', 40, 780),
        ...header(740),
        ...row(725, '2024-03-27', 'V-1', 'Vente', '12,00', '12,00'),
        ...row(712, '2024-03-28', 'V-2', 'Vente', '8,00', '20;00'),
        ...row(699, '2024-03-29', 'P-1', 'Paiement', '20,00', '0,00'),
        at('Solde final : 0,00', 40, 680),
      ]),
    ]);
    expect(statement.verdict).toBe('mismatch');
    expect(statement.anomalies).toContainEqual(
      expect.objectContaining({ kind: 'balance_chain_break', reference: 'V-2', page: 1 }),
    );
  });

  it('names the last row when the closing balance does not follow from it', () => {
    const statement = parseStatementPages([
      page(1, [
        at('Solde initial : 0,00', 40, 780),
        ...header(740),
        ...row(725, '2024-03-27', 'V-1', 'Vente', '12,00', '12,00'),
        at('Solde final : 13,00', 40, 700),
      ]),
    ]);
    expect(statement.verdict).toBe('mismatch');
    expect(statement.anomalies).toEqual([
      expect.objectContaining({ kind: 'closing_balance_mismatch', reference: 'V-1', page: 1 }),
    ]);
  });

  it('leaves out page furniture standing apart from the table: a running title and a browser print footer', () => {
    const layout = readStatementLayout([
      page(1, [
        at('04/12/2026 16:28', 40, 820),
        at('Relevé client', 280, 820),
        at('Solde initial : 0,00', 40, 780),
        ...header(740),
        ...row(725, '2024-03-27', 'V-1', 'Vente livrée', '10,00', '10,00'),
        at('au dépôt', 200, 715),
        at('file:///C:/Users/pharmacie/releve.html', 40, 30),
        at('1/2', 540, 30),
      ]),
      page(2, [
        ...header(800),
        ...row(785, '2024-03-28', 'P-1', 'Paiement', '10,00', '0,00'),
        at('Solde final : 0,00', 40, 760),
      ]),
    ]);
    expect(layout.anomalies).toEqual([]);
    expect(layout.transactions.map((t) => t.label)).toEqual(['Vente livrée au dépôt', 'Paiement']);
  });
});
