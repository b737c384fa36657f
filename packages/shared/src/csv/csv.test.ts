import { describe, expect, it } from 'vitest';
import { csvField, csvLine } from './index.js';

describe('csv', () => {
  it('quotes fields holding the separator, quotes or line breaks', () => {
    expect(csvField('a,b', ',')).toBe('"a,b"');
    expect(csvField('a,b', ';')).toBe('a,b');
    expect(csvField('a;b', ';')).toBe('"a;b"');
    expect(csvField('say "hi"', ',')).toBe('"say ""hi"""');
    expect(csvField('two\nlines', ',')).toBe('"two\nlines"');
  });

  it('writes decimals with a comma for the semicolon dialect', () => {
    expect(csvLine(['x', -1234.5, null], ';')).toBe('x;-1234,5;\r\n');
    expect(csvLine(['x', -1234.5, undefined], ',')).toBe('x,-1234.5,\r\n');
  });

  it('neutralises text that a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("x")', ',')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('-5', ',')).toBe("'-5");
  });
});
