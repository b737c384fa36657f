import { describe, expect, it } from 'vitest';
import { guessSalesKind } from './sales-urls.js';

describe('guessSalesKind', () => {
  it.each([
    ['https://data.example.ma/exports/produits.csv', 'products'],
    ['https://data.example.ma/Products_2024.CSV?token=1', 'products'],
    ['https://x.test/magasins.csv', 'stores'],
    ['https://x.test/stores.csv#top', 'stores'],
    ['https://x.test/ventes-2024.csv', 'sales'],
    ['https://x.test/sales.csv', 'sales'],
    ['https://x.test/data.csv', undefined],
    ['https://produits.example/data.csv', undefined],
  ])('%s → %s', (url, kind) => {
    expect(guessSalesKind(url)).toBe(kind);
  });
});
