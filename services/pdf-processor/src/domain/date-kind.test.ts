import { describe, expect, it } from 'vitest';
import { parseDate } from './date.js';
import { kindFromLabel } from './kind.js';

describe('parseDate', () => {
  it.each([
    ['2024-03-27', '2024-03-27'],
    ['27/03/2024', '2024-03-27'],
    [' 2024-02-29 ', '2024-02-29'],
  ])('%j → %s', (text, iso) => {
    expect(parseDate(text)).toBe(iso);
  });

  it.each(['2023-02-29', '2024-13-01', '32/01/2024', 'Date', '2024-3-7', ''])('%j is not a date', (text) => {
    expect(parseDate(text)).toBeUndefined();
  });
});

describe('kindFromLabel', () => {
  it.each([
    ['Vente', 'sale'],
    ['Vente comptoir', 'sale'],
    ['Paiement vente', 'payment'],
    ['PAIEMENT espèces', 'payment'],
    ['Remboursement espèces', 'payment'],
    ['Retour produit', 'return'],
    ['Avoir client', 'credit_note'],
    ['Régularisation', 'other'],
    ['Ventes', 'other'],
    ['', 'other'],
  ] as const)('%j → %s', (label, kind) => {
    expect(kindFromLabel(label)).toBe(kind);
  });
});
