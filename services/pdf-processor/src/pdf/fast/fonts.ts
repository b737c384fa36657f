import type { FastDocument } from './document.js';
import { EOF, Lexer, ObjectReader, PdfCmd, PdfDict, PdfName, PdfStream, type PdfValue, unsupported } from './syntax.js';

/** A glyph as pdfjs's text extraction sees it. */
export interface FastGlyph {
  /** The character code (1 or 2 bytes). */
  code: number;
  unicode: string;
  /** Advance in glyph space (thousandths of the font size). */
  width: number;
  isWhitespace: boolean;
  isZeroWidthDiacritic: boolean;
  isInvisibleFormatMark: boolean;
}

/**
 * The fonts the fast path understands: composite fonts with the Identity-H encoding over a TrueType CIDFont
 * (what pdfkit and most modern producers embed), with a ToUnicode CMap and widths from /W and /DW. Simple
 * fonts, vertical writing, CFF-based CIDFonts, Type3 and predefined CMaps are declined and left to pdfjs.
 */
export class FastFont {
  /** By character code; filled as codes are met. */
  private readonly glyphs: (FastGlyph | undefined)[] = [];

  constructor(
    /** pdfjs's `font.name` (compared to tell a font change from a resource rename). */
    readonly name: string,
    private readonly widths: number[],
    private readonly defaultWidth: number,
    private readonly toUnicode: (string | undefined)[],
  ) {}

  /** Number of glyphs in a shown string (two bytes per code). */
  glyphCount(chars: string): number {
    if (chars.length % 2 !== 0) return unsupported('odd byte count in a two-byte string');
    return chars.length / 2;
  }

  /** The glyph of the `index`-th code of a shown string. */
  glyphAt(chars: string, index: number): FastGlyph {
    const code = (chars.charCodeAt(2 * index) << 8) | chars.charCodeAt(2 * index + 1);
    return this.glyphs[code] ?? this.glyph(code);
  }

  private glyph(code: number): FastGlyph {
    const width = this.widths[code];
    const unicode = this.toUnicode[code] || String.fromCharCode(code);
    const groups = unicode.match(SPECIAL_CHAR);
    const glyph: FastGlyph = {
      code,
      unicode,
      width: typeof width === 'number' ? width : this.defaultWidth,
      isWhitespace: !!groups?.[1],
      isZeroWidthDiacritic: !!groups?.[2],
      isInvisibleFormatMark: !!groups?.[3],
    };
    this.glyphs[code] = glyph;
    return glyph;
  }
}

/** Overlapping ranges could make a small CMap or /W array expensive: past this many mappings, pdfjs decides. */
const MAX_MAPPINGS = 1 << 20;

// pdfjs's getCharUnicodeCategory, same expression (including its precedence).
const SPECIAL_CHAR = /^(\s)|(\p{Mn})|(\p{Cf})$/u;

export function loadFont(doc: FastDocument, value: PdfValue | undefined): FastFont {
  const font = doc.resolve(value);
  if (!(font instanceof PdfDict)) return unsupported('font is not a dictionary');
  const subtype = doc.get(font, 'Subtype');
  if (!(subtype instanceof PdfName) || subtype.name !== 'Type0') return unsupported('not a composite font');
  const encoding = doc.get(font, 'Encoding');
  if (!(encoding instanceof PdfName) || encoding.name !== 'Identity-H') return unsupported('not Identity-H');
  const descendants = doc.get(font, 'DescendantFonts');
  const cidFont = doc.resolve(Array.isArray(descendants) ? descendants[0] : descendants);
  if (!Array.isArray(descendants) || descendants.length !== 1 || !(cidFont instanceof PdfDict)) {
    return unsupported('unusual descendant fonts');
  }
  const cidType = doc.get(cidFont, 'Subtype');
  if (!(cidType instanceof PdfName) || cidType.name !== 'CIDFontType2') return unsupported('not a TrueType CIDFont');
  if (cidFont.has('FontMatrix')) return unsupported('font matrix');
  const descriptor = doc.get(cidFont, 'FontDescriptor');
  if (!(descriptor instanceof PdfDict)) return unsupported('no font descriptor');
  const fontName = doc.get(descriptor, 'FontName');
  const baseFont = doc.get(cidFont, 'BaseFont');
  if (!(fontName instanceof PdfName) || !(baseFont instanceof PdfName) || fontName.name !== baseFont.name) {
    return unsupported('font names disagree');
  }
  if (descriptor.has('FontFile') || descriptor.has('FontFile3')) return unsupported('not a TrueType font program');
  const file = doc.get(descriptor, 'FontFile2');
  if (file !== undefined) {
    if (!(file instanceof PdfStream)) return unsupported('font file is not a stream');
    // pdfjs reads the program; when it is damaged, what pdfjs then does is its business.
    if (doc.decode(file).length === 0) return unsupported('empty font file');
  }
  const toUnicodeStream = doc.get(cidFont, 'ToUnicode') ?? doc.get(font, 'ToUnicode');
  if (!(toUnicodeStream instanceof PdfStream)) return unsupported('no ToUnicode CMap');
  const toUnicode = readToUnicode(doc.decode(toUnicodeStream));
  const dw = doc.get(cidFont, 'DW');
  const defaultWidth = typeof dw === 'number' ? Math.ceil(dw) : 1000;
  return new FastFont(fontName.name, readWidths(doc, doc.get(cidFont, 'W')), defaultWidth, toUnicode);
}

/** pdfjs's extractWidths for composite fonts. */
function readWidths(doc: FastDocument, w: PdfValue | undefined): number[] {
  const widths: number[] = [];
  let budget = MAX_MAPPINGS;
  if (!Array.isArray(w)) return widths;
  for (let i = 0; i < w.length; i++) {
    let start = doc.resolve(w[i++]);
    if (typeof start !== 'number' || !Number.isInteger(start)) break;
    const code = doc.resolve(w[i]);
    if (Array.isArray(code)) {
      for (const c of code) {
        const width = doc.resolve(c);
        if (start > 0xffff) return unsupported('CID out of range');
        if (typeof width === 'number') widths[start] = width;
        start++;
      }
    } else if (typeof code === 'number' && Number.isInteger(code)) {
      const width = doc.resolve(w[++i]);
      if (typeof width !== 'number') continue;
      if (code > 0xffff || code - start > 0xffff) return unsupported('CID out of range');
      budget -= code - start + 1;
      if (budget < 0) return unsupported('too many widths');
      for (let j = start; j <= code; j++) widths[j] = width;
    } else {
      break;
    }
  }
  return widths;
}

/**
 * A ToUnicode CMap with bfchar and bfrange sections (pdfjs's CMap parser and readToUnicode). Other sections
 * (usecmap, cidrange, notdefrange) are declined.
 */
export function readToUnicode(data: Uint8Array): (string | undefined)[] {
  const map: (string | undefined)[] = [];
  let budget = MAX_MAPPINGS;
  const reader = new ObjectReader(new Lexer(data), false);
  const string = (value: unknown): string => (typeof value === 'string' ? value : unsupported('malformed CMap'));
  for (;;) {
    const token = reader.read();
    if (token === EOF) break;
    if (!(token instanceof PdfCmd)) continue;
    switch (token.cmd) {
      case 'endcmap':
        return map;
      case 'begincodespacerange':
        for (let t = reader.read(); !(t instanceof PdfCmd && t.cmd === 'endcodespacerange'); t = reader.read()) {
          if (t === EOF) return unsupported('malformed CMap');
        }
        break;
      case 'beginbfchar':
        for (;;) {
          const src = reader.read();
          if (src instanceof PdfCmd && src.cmd === 'endbfchar') break;
          const code = codeOf(string(src));
          map[code] = utf16(string(reader.read()));
        }
        break;
      case 'beginbfrange':
        for (;;) {
          const first = reader.read();
          if (first instanceof PdfCmd && first.cmd === 'endbfrange') break;
          let low = codeOf(string(first));
          const high = codeOf(string(reader.read()));
          if (high - low > 0xffff) return unsupported('CMap range too large');
          budget -= Math.max(0, high - low + 1);
          if (budget < 0) return unsupported('too many CMap mappings');
          const dst = reader.read();
          if (typeof dst === 'string') {
            // pdfjs's mapBfRange, including how it carries into the byte before the last.
            let dstLow = dst;
            const lastByte = dstLow.length - 1;
            if (lastByte < 0) return unsupported('malformed CMap');
            while (low <= high) {
              map[low++] = utf16(dstLow);
              const nextCharCode = dstLow.charCodeAt(lastByte) + 1;
              if (nextCharCode > 0xff) {
                dstLow = `${dstLow.substring(0, lastByte - 1)}${String.fromCharCode(dstLow.charCodeAt(lastByte - 1) + 1)}\x00`;
                continue;
              }
              dstLow = dstLow.substring(0, lastByte) + String.fromCharCode(nextCharCode);
            }
          } else if (Array.isArray(dst)) {
            for (let i = 0; low <= high && i < dst.length; i++) map[low++] = utf16(string(dst[i]));
          } else {
            return unsupported('malformed CMap');
          }
        }
        break;
      case 'usecmap':
      case 'begincidrange':
      case 'begincidchar':
      case 'beginnotdefrange':
      case 'beginnotdefchar':
        return unsupported(`CMap with ${token.cmd}`);
    }
  }
  return map;
}

function codeOf(bytes: string): number {
  if (bytes.length === 0 || bytes.length > 2) return unsupported('CMap code of unusual length');
  let code = 0;
  for (let i = 0; i < bytes.length; i++) code = (code << 8) | bytes.charCodeAt(i);
  return code;
}

/** pdfjs's readToUnicode conversion of a destination (UTF-16BE, odd lengths padded in front). */
function utf16(token: string): string {
  if (token.length % 2 !== 0) token = `\u0000${token}`;
  const str: number[] = [];
  for (let k = 0; k < token.length; k += 2) {
    const w1 = (token.charCodeAt(k) << 8) | token.charCodeAt(k + 1);
    if ((w1 & 0xf800) !== 0xd800) {
      str.push(w1);
      continue;
    }
    k += 2;
    const w2 = (token.charCodeAt(k) << 8) | token.charCodeAt(k + 1);
    str.push(((w1 & 0x3ff) << 10) + (w2 & 0x3ff) + 0x10000);
  }
  return String.fromCodePoint(...str);
}
