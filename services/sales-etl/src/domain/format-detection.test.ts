import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { charsetFromContentType, detectDelimiter, detectEncoding, isValidUtf8 } from './format-detection.js';

describe('detectEncoding', () => {
  const french = 'id_produit;nom;prix\n1;Crème hydratante été;12,5\n2;Sérum à l’aloé;8\n';
  const russian = 'id_magasin,ville\n1,Москва\n2,Санкт-Петербург\n3,Новосибирск\n';

  it('reads UTF-8 with and without BOM', () => {
    expect(detectEncoding(Buffer.from(french), true)).toBe('utf-8');
    expect(detectEncoding(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(russian)]), true)).toBe('utf-8');
  });

  it('tells Windows-1252 French from Windows-1251 Russian', () => {
    expect(detectEncoding(iconv.encode(french.replace('’', "'"), 'windows-1252'), true)).toBe('windows-1252');
    expect(detectEncoding(iconv.encode(russian, 'windows-1251'), true)).toBe('windows-1251');
  });

  it('uses a declared single-byte charset when the bytes are not UTF-8', () => {
    expect(detectEncoding(iconv.encode('a;é\n', 'windows-1252'), true, 'windows-1251')).toBe('windows-1251');
  });

  it('ignores a UTF-8 sequence cut at the end of an incomplete sample', () => {
    const bytes = Buffer.from('prix été');
    expect(isValidUtf8(bytes.subarray(0, bytes.length - 1), false)).toBe(true);
    expect(isValidUtf8(bytes.subarray(0, bytes.length - 1), true)).toBe(false);
  });
});

describe('charsetFromContentType', () => {
  it.each([
    ['text/csv; charset=UTF-8', 'utf-8'],
    ['text/csv;charset="windows-1251"', 'windows-1251'],
    ['text/plain; charset=ISO-8859-1', 'windows-1252'],
    ['text/csv', undefined],
    [undefined, undefined],
  ])('%s → %s', (header, expected) => expect(charsetFromContentType(header)).toBe(expected));
});

describe('detectDelimiter', () => {
  it.each([
    ['a,b,c\n1,2,3', ','],
    ['a;b;c\n1;2;3', ';'],
    ['a\tb\tc\n', '\t'],
    ['"x,y";b;c\n', ';'],
    ['nom;prix\n"a";"1,5"', ';'],
    ['single\n', ','],
  ])('%j → %j', (text, expected) => expect(detectDelimiter(text)).toBe(expected));
});
