import { describe, expect, it } from 'vitest';
import { KEPT_WORDS, redactLayoutText } from './layout-redaction.js';

const expectRedacted = (printed: string, redacted: string) => {
  expect(redactLayoutText(printed)).toBe(redacted);
};

describe('redactLayoutText', () => {
  it.each([
    // [printed, redacted]
    ['Amine Tazi', 'xxxxx xxxx'],
    ['2024-03-27', '9999-99-99'],
    ['27/03/2024', '99/99/9999'],
    ['V-000123', 'x-999999'],
    ['1 250,00', '9 999,99'],
    ['-1\u00a0234,56', '-9\u00a0999,99'],
    ['1\u202f234,56', '9\u202f999,99'],
    ['\u22121 234,56', '\u22129 999,99'],
    ['10 %', '99 %'],
    ["Noureddine O'Neill", "xxxxxxxxxx x'xxxxx"],
    ['Client : Amine Tazi', 'Client : xxxxx xxxx'],
    ['Solde initial : -1 234,56', 'Solde initial : -9 999,99'],
    ['SOLDE FINAL : 84,91', 'SOLDE FINAL : 99,99'],
    ['Date Transaction N° Libellé Total Solde', 'Date Transaction N° Libellé Total Solde'],
    ['Produit Qté P.U. Remise P.U. remisé Total', 'Produit Qté P.U. Remise P.U. remisé Total'],
    ['Page 2 / 13', 'Page 9 / 99'],
    ['Relevé client détaillé', 'Relevé client détaillé'],
    ['Période : du 2017-01-01 au 2024-12-31', 'Période : xx 9999-99-99 xx 9999-99-99'],
    ['Paiement vente', 'xxxxxxxx xxxxx'],
  ])('%j → %j', expectRedacted);

  it.each([
    ['Pharmacie Solde Amine', 'xxxxxxxxx Solde xxxxx'],
    ['Soldeberg', 'xxxxxxxxx'],
    ['Datem Totalis Pages', 'xxxxx xxxxxxx xxxxx'],
    ['Solde2', 'xxxxx9'],
    ['Amine-Solde', 'xxxxx-Solde'],
    // "N" or "P" alone is a customer's initial, not the header.
    ['Amine N. P.', 'xxxxx x. x.'],
    ['PU', 'xx'],
  ])('keeps a kept word only as a whole word: %j → %j', expectRedacted);

  it.each([
    ['LIBELLE Qte Nº', 'LIBELLE Qte Nº'],
    // Decomposed accents (e + U+0301) stay with their kept word.
    ['Libelle\u0301', 'Libelle\u0301'],
    // A ligature inside a kept word: the word is kept as printed.
    ['\ufb01nal', '\ufb01nal'],
    // Full-width letters of a kept word.
    ['ＴＯＴＡＬ', 'ＴＯＴＡＬ'],
  ])(
    'compares kept words without case, accents or compatibility forms, and prints them as they were: %j → %j',
    expectRedacted,
  );

  it.each([
    ['\ufb01\ufb02', 'xxxx'],
    ['Ame\u0301lie', 'xxxxxx'],
    ['Amélie', 'xxxxxx'],
    ['１２３', '999'],
    ['½ m²', '9\u20449 x9'],
    ['№ 12', 'xx 99'],
    ['Ⅻ', 'xxx'],
  ])('redacts compatibility forms by what they stand for, and accents with their letter: %j → %j', expectRedacted);

  it.each([
    ['أمين التازي', 'xxxx xxxxxx'],
    ['١٢٣٫٤٥', '999٫99'],
    ['Амин', 'xxxx'],
    ['مُحَمَّد', 'xxxx'],
  ])('redacts letters and digits of every script: %j → %j', expectRedacted);

  it.each([
    ['\ue001\ue002\u0003', '???'],
    ['a\tb\u00adc\u200bd', 'x\tx\u00adx\u200bx'],
  ])(
    'gives ? for codes without meaning (a font without a Unicode map), keeps spaces and format characters: %j → %j',
    expectRedacted,
  );

  it('leaves no letter nor digit outside the kept words, whatever the input', () => {
    const samples = ['Mme Fatima-Zahra El Idrissi (n° 42)', 'Réf. A12/B', 'Total général 12 345,67 DH', 'x9'];
    const keptKeys = new Set(KEPT_WORDS.map((word) => word.toLowerCase()));
    for (const sample of samples) {
      const words = redactLayoutText(sample).match(/[\p{L}\p{N}°.]+/gu) ?? [];
      for (const word of words) {
        expect(/^[x9.]+$/u.test(word) || keptKeys.has(word.toLowerCase()), `${sample}: ${word}`).toBe(true);
      }
    }
  });
});
