import { describe, expect, it } from 'vitest';
import { mapHeaders, normalizeHeader } from './header-mapping.js';

describe('normalizeHeader', () => {
  it.each([
    ['Quantité', 'quantite'],
    [' Chiffre d’affaires ', 'chiffredaffaires'],
    ['ID_PRODUIT', 'idproduit'],
    ['Date de vente', 'datedevente'],
    ['id-magasin', 'idmagasin'],
  ])('%s → %s', (header, expected) => expect(normalizeHeader(header)).toBe(expected));
});

describe('mapHeaders', () => {
  it('maps the canonical sales header', () => {
    const headers = ['id_vente', 'id_produit', 'id_magasin', 'date_vente', 'quantite', 'chiffre_affaires'];
    expect(mapHeaders('sales', headers)).toEqual({ ok: true, indexes: [0, 1, 2, 3, 4, 5] });
  });

  it('tolerates case, accents, spaces and reordering', () => {
    const headers = ['Chiffre d’affaires', 'Quantité', 'Date Vente', ' ID Magasin', 'Id Produit', 'ID VENTE'];
    expect(mapHeaders('sales', headers)).toEqual({ ok: true, indexes: [5, 4, 3, 2, 1, 0] });
  });

  it('accepts English spellings', () => {
    expect(mapHeaders('products', ['product_id', 'name', 'price'])).toEqual({ ok: true, indexes: [0, 1, 2] });
    expect(mapHeaders('stores', ['City', 'Store ID'])).toEqual({ ok: true, indexes: [1, 0] });
  });

  it('prefers the specific spelling over a bare one', () => {
    expect(mapHeaders('products', ['produit', 'id_produit', 'nom', 'prix'])).toEqual({ ok: true, indexes: [1, 2, 3] });
  });

  it('names missing and ambiguous columns', () => {
    expect(mapHeaders('stores', ['id_magasin'])).toEqual({ ok: false, missing: ['ville'], ambiguous: [] });
    expect(mapHeaders('stores', ['id_magasin', 'Ville', 'ville '])).toEqual({
      ok: false,
      missing: [],
      ambiguous: ['ville'],
    });
  });
});
