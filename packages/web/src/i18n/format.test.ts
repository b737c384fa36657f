import { describe, expect, it } from 'vitest';
import { formatMessage, messageValueNames } from './format.js';

const FILES = '{files, plural, =0 {aucun fichier} one {# fichier} other {# fichiers}} à vérifier';
const RU_FILES = '{files, plural, one {# файл} few {# файла} many {# файлов} other {# файла}}';

describe('formatMessage', () => {
  it.each([
    ['fr', FILES, 0, 'aucun fichier à vérifier'],
    ['fr', FILES, 1, '1 fichier à vérifier'],
    ['fr', FILES, 2, '2 fichiers à vérifier'],
    ['ru', RU_FILES, 1, '1 файл'],
    ['ru', RU_FILES, 3, '3 файла'],
    ['ru', RU_FILES, 5, '5 файлов'],
    ['ru', RU_FILES, 21, '21 файл'],
    ['ru', RU_FILES, 1.5, '1.5 файла'],
  ])('%s: %s with %d', (language, template, files, expected) => {
    expect(formatMessage(template, { files }, new Intl.PluralRules(language))).toBe(expected);
  });

  it('fills plain values, numbers through the formatter, and leaves a missing one visible', () => {
    const plurals = new Intl.PluralRules('fr');
    const formatNumber = (n: number) => new Intl.NumberFormat('fr-FR').format(n);
    expect(formatMessage('{kind} : {mib} Mio lus', { kind: 'ventes', mib: 1.5 }, plurals, formatNumber)).toBe(
      'ventes : 1,5 Mio lus',
    );
    expect(
      formatMessage('{count, plural, one {# client} other {# clients}}', { count: 1259 }, plurals, formatNumber),
    ).toBe('1\u202f259 clients');
    expect(formatMessage('page {path}', {}, plurals)).toBe('page {path}');
    expect(formatMessage(FILES, { files: 'x' }, plurals)).toBe(FILES);
  });
});

describe('select', () => {
  const KIND = '{kind, select, products {produits} stores {magasins} other {ventes}} : {mib} Mio';
  it.each([
    ['products', 'produits : 2 Mio'],
    ['stores', 'magasins : 2 Mio'],
    ['sales', 'ventes : 2 Mio'],
  ])('%s', (kind, expected) => {
    expect(formatMessage(KIND, { kind, mib: 2 }, new Intl.PluralRules('fr'))).toBe(expected);
  });
  it('names its value once', () => {
    expect(messageValueNames(KIND)).toEqual(['kind', 'mib']);
  });
});

describe('messageValueNames', () => {
  it('lists plain and plural names once each', () => {
    expect(messageValueNames(`${FILES} {root} {files}`)).toEqual(['files', 'root']);
  });
});
