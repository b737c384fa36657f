import { describe, expect, it } from 'vitest';
import type { StatementData } from '../domain/statement.js';
import { corruptPdf } from './corrupt.js';
import { renderStatementPdf } from './statement-pdf.js';

const statement: StatementData = {
  startDate: '2024-01-01',
  endDate: '2024-12-31',
  openingBalance: -123_456,
  closingBalance: 10_000_001,
  rows: [
    {
      day: 0,
      date: '2024-03-27',
      reference: 'V-000123',
      label: 'Vente',
      kind: 'sale',
      total: 10_123_457,
      effect: 10_123_457,
      balance: 10_000_001,
      lines: [
        {
          product: 'HUMIRA 40 MG SOL INJ STYLO PREREMPLI 0,4 ML',
          quantity: 20,
          unitPrice: 506_173,
          discount: 0,
          discountedUnitPrice: 506_173,
          total: 10_123_460,
        },
      ],
    },
  ],
};

const render = (pageSize?: 'A4' | 'LEGAL') =>
  renderStatementPdf({ pharmacyName: 'Pharmacie Démo', customerName: 'Aïcha L’Haj Ahmed', statement, pageSize });

describe('renderStatementPdf', () => {
  it('renders the same bytes for the same statement', async () => {
    const [a, b] = await Promise.all([render(), render()]);
    expect(a.pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(a.pages).toBe(1);
    expect(a.rowPages).toEqual([1]);
    expect(a.pdf.equals(b.pdf)).toBe(true);
  });

  it('depends on the paper size', async () => {
    const [a4, legal] = await Promise.all([render('A4'), render('LEGAL')]);
    expect(a4.pdf.equals(legal.pdf)).toBe(false);
  });
});

describe('corruptPdf', () => {
  it('keeps the header but cuts and garbles the rest, the same way every time', async () => {
    const { pdf } = await render();
    const broken = corruptPdf(pdf);
    expect(broken.subarray(0, 5).toString()).toBe('%PDF-');
    expect(broken.length).toBeLessThan(pdf.length);
    expect(broken.equals(pdf.subarray(0, broken.length))).toBe(false);
    expect(corruptPdf(pdf).equals(broken)).toBe(true);
  });
});
