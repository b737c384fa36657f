import { describe, expect, it } from 'vitest';
import { createValidationContext, validateProduct, validateSale, validateStore } from './row-validation.js';

const SALE_IDX = [0, 1, 2, 3, 4, 5];
const context = () => createValidationContext({ productPrices: new Map([[1, 2.5]]), stores: new Set([10]) }, 0.01);

describe('validateSale', () => {
  it('accepts a valid row and normalises its values', () => {
    const out: unknown[] = [];
    expect(validateSale(['7', '1', '10', '27/03/2024', '4', '10,00'], SALE_IDX, context(), out)).toBeUndefined();
    expect(out).toEqual([7, 1, 10, '2024-03-27', 4, 10]);
  });

  it('accepts a revenue within the tolerance', () => {
    expect(validateSale(['7', '1', '10', '2024-03-27', '400', '1009'], SALE_IDX, context(), [])).toBeUndefined();
  });

  it.each([
    [['', '1', '10', '2024-03-27', '4', '10'], 'MISSING_FIELD', 'id_vente is empty'],
    [['x7', '1', '10', '2024-03-27', '4', '10'], 'INVALID_ID', 'id_vente "x7" is not a positive integer'],
    [['0', '1', '10', '2024-03-27', '4', '10'], 'INVALID_ID', 'id_vente "0" is not a positive integer'],
    [['7', '1', '10', '2024-02-30', '4', '10'], 'INVALID_DATE', 'date_vente "2024-02-30" is not a date'],
    [['7', '1', '10', '2024-03-27', 'quatre', '10'], 'INVALID_NUMBER', 'quantite "quatre" is not a number'],
    [['7', '1', '10', '2024-03-27', '1,5', '3.75'], 'INVALID_NUMBER', 'quantite 1.5 is not a whole number'],
    [['7', '1', '10', '2024-03-27', '-4', '-10'], 'NEGATIVE_VALUE', 'quantite -4 is negative'],
    [['7', '1', '10', '2024-03-27', '4', ''], 'MISSING_FIELD', 'chiffre_affaires is empty'],
    [['7', '2', '10', '2024-03-27', '4', '10'], 'UNKNOWN_PRODUCT', 'id_produit 2 is not a known product'],
    [['7', '1', '11', '2024-03-27', '4', '10'], 'UNKNOWN_STORE', 'id_magasin 11 is not a known store'],
    [
      ['7', '1', '10', '2024-03-27', '4', '12'],
      'REVENUE_MISMATCH',
      'chiffre_affaires 12 differs from quantite × prix = 4 × 2.5 = 10',
    ],
  ])('%j → %s', (record, reason, message) => {
    const out: unknown[] = [];
    expect(validateSale(record, SALE_IDX, context(), out)).toEqual({ reason, message });
    expect(out).toEqual([]);
  });
});

describe('validateProduct and validateStore', () => {
  it('accept valid rows', () => {
    const out: unknown[] = [];
    expect(validateProduct(['3', ' Doliprane ', '1 250,5'], [0, 1, 2], out)).toBeUndefined();
    expect(validateStore(['10', 'Fès'], [0, 1], out)).toBeUndefined();
    expect(out).toEqual([3, 'Doliprane', 1250.5, 10, 'Fès']);
  });

  it('reject invalid ones', () => {
    expect(validateProduct(['3', '', '2'], [0, 1, 2], [])).toEqual({
      reason: 'MISSING_FIELD',
      message: 'nom is empty',
    });
    expect(validateProduct(['3', 'A', '-2'], [0, 1, 2], [])).toEqual({
      reason: 'NEGATIVE_VALUE',
      message: 'prix -2 is negative',
    });
    expect(validateStore(['a', 'Rabat'], [0, 1], [])).toEqual({
      reason: 'INVALID_ID',
      message: 'id_magasin "a" is not a positive integer',
    });
  });
});
