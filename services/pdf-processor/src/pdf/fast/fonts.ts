import type { FastDocument } from './document.js';
import {
  EOF,
  isIndex,
  Lexer,
  latin1,
  ObjectReader,
  PdfCmd,
  PdfDict,
  PdfName,
  PdfStream,
  type PdfValue,
  unsupported,
} from './syntax.js';

function fontUnsupported(reason: string): never {
  return unsupported(reason, 'font');
}

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
 * The fonts the fast path understands, both with an embedded TrueType program, a non-empty ToUnicode CMap and no
 * FontMatrix:
 * - composite fonts with the Identity-H encoding over a TrueType CIDFont (pdfkit, Chromium/Skia), two-byte codes,
 *   widths from /W and /DW;
 * - simple TrueType fonts without an /Encoding (LibreOffice), one-byte codes, widths from /FirstChar and
 *   /Widths, /MissingWidth otherwise.
 * Other simple fonts (Type1, standard 14, any /Encoding), vertical writing, CFF-based CIDFonts, Type3 and
 * predefined CMaps are declined and left to pdfjs.
 */
export class FastFont {
  /** By character code; filled as codes are met. */
  private readonly glyphs: (FastGlyph | undefined)[] = [];

  constructor(
    /** pdfjs's `font.name` (compared to tell a font change from a resource rename). */
    readonly name: string,
    /** The FontDescriptor (pdfjs shares one font between font dictionaries of one descriptor). */
    readonly descriptor: PdfDict,
    /** Bytes per character code: 2 (Identity-H) or 1 (simple font). */
    private readonly codeBytes: 1 | 2,
    private readonly widths: number[],
    private readonly defaultWidth: number,
    private readonly toUnicode: (string | undefined)[],
  ) {}

  /** Number of glyphs in a shown string. */
  glyphCount(chars: string): number {
    if (this.codeBytes === 1) return chars.length;
    if (chars.length % 2 !== 0) return fontUnsupported('odd byte count in a two-byte string');
    return chars.length / 2;
  }

  /** The glyph of the `index`-th code of a shown string. */
  glyphAt(chars: string, index: number): FastGlyph {
    const code =
      this.codeBytes === 1
        ? chars.charCodeAt(index)
        : (chars.charCodeAt(2 * index) << 8) | chars.charCodeAt(2 * index + 1);
    return this.glyphs[code] ?? this.glyph(code);
  }

  private glyph(code: number): FastGlyph {
    // pdfjs's Font._charToGlyph: widths by code (Identity-H: CID = code), the ToUnicode string or the code itself.
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
  if (!(font instanceof PdfDict)) return fontUnsupported('font is not a dictionary');
  const subtype = doc.get(font, 'Subtype');
  if (subtype instanceof PdfName && subtype.name === 'Type0') return loadCompositeFont(doc, font);
  if (subtype instanceof PdfName && subtype.name === 'TrueType') return loadSimpleTrueTypeFont(doc, font);
  return fontUnsupported('font other than Type0 or TrueType');
}

/** Type0, Identity-H, one TrueType CIDFont (pdfjs's translateFont with `composite`). */
function loadCompositeFont(doc: FastDocument, font: PdfDict): FastFont {
  const encoding = doc.get(font, 'Encoding');
  if (!(encoding instanceof PdfName) || encoding.name !== 'Identity-H') return fontUnsupported('not Identity-H');
  const descendants = doc.get(font, 'DescendantFonts');
  const cidFont = doc.resolve(Array.isArray(descendants) ? descendants[0] : descendants);
  if (!Array.isArray(descendants) || descendants.length !== 1 || !(cidFont instanceof PdfDict)) {
    return fontUnsupported('unusual descendant fonts');
  }
  const cidType = doc.get(cidFont, 'Subtype');
  if (!(cidType instanceof PdfName) || cidType.name !== 'CIDFontType2')
    return fontUnsupported('not a TrueType CIDFont');
  const { name, descriptor } = checkTrueTypeFont(doc, cidFont);
  const toUnicode = readFontToUnicode(doc, doc.get(cidFont, 'ToUnicode') ?? doc.get(font, 'ToUnicode'));
  const dw = doc.get(cidFont, 'DW');
  const defaultWidth = typeof dw === 'number' ? Math.ceil(dw) : 1000;
  return new FastFont(name, descriptor, 2, readWidths(doc, doc.get(cidFont, 'W')), defaultWidth, toUnicode);
}

/**
 * A simple TrueType font without /Encoding and with a ToUnicode CMap: pdfjs then takes every glyph's text from
 * the CMap alone (no fallback encoding is built, the symbolic flag and the font's own cmap play no part), its
 * width from /Widths (indexed from /FirstChar), /MissingWidth (or 0) otherwise.
 */
function loadSimpleTrueTypeFont(doc: FastDocument, font: PdfDict): FastFont {
  // With an /Encoding, pdfjs completes the ToUnicode CMap from the encoding's glyph names: not followed here.
  if (font.has('Encoding')) return fontUnsupported('simple font with an Encoding');
  const { name, descriptor } = checkTrueTypeFont(doc, font);
  const toUnicode = readFontToUnicode(doc, doc.get(font, 'ToUnicode'));
  const firstChar = doc.get(font, 'FirstChar');
  const widthsArray = doc.get(font, 'Widths');
  // Without /Widths pdfjs measures with the standard 14 fonts' metrics.
  if (!Array.isArray(widthsArray)) return fontUnsupported('simple font without Widths');
  if (!isIndex(firstChar) || firstChar > 0xff || widthsArray.length > 0x100)
    return fontUnsupported('unusual FirstChar');
  const widths: number[] = [];
  let code = firstChar;
  for (const entry of widthsArray) {
    const width = doc.resolve(entry);
    if (typeof width === 'number') widths[code] = width;
    code++;
  }
  const missingWidth = doc.get(descriptor, 'MissingWidth');
  const defaultWidth = typeof missingWidth === 'number' ? missingWidth : 0;
  return new FastFont(name, descriptor, 1, widths, defaultWidth, toUnicode);
}

/**
 * What both font kinds need for pdfjs to use the PDF's own metrics at the identity font matrix: one font name,
 * an embedded TrueType program with the tables pdfjs's checkAndRepair requires (without them pdfjs falls back to
 * a system font and may rebuild the Unicode map), and no /FontMatrix.
 */
function checkTrueTypeFont(doc: FastDocument, dict: PdfDict): { name: string; descriptor: PdfDict } {
  if (dict.has('FontMatrix')) return fontUnsupported('font matrix');
  const descriptor = doc.get(dict, 'FontDescriptor');
  if (!(descriptor instanceof PdfDict)) return fontUnsupported('no font descriptor');
  const fontName = doc.get(descriptor, 'FontName');
  const baseFont = doc.get(dict, 'BaseFont');
  if (!(fontName instanceof PdfName) || !(baseFont instanceof PdfName) || fontName.name !== baseFont.name) {
    return fontUnsupported('font names disagree');
  }
  if (descriptor.has('FontFile') || descriptor.has('FontFile3')) return fontUnsupported('not a TrueType font program');
  const file = doc.get(descriptor, 'FontFile2');
  if (file === undefined) return fontUnsupported('font program not embedded');
  if (!(file instanceof PdfStream)) return fontUnsupported('font file is not a stream');
  checkTrueTypeProgram(doc.decode(file));
  return { name: fontName.name, descriptor };
}

const REQUIRED_TABLES = ['head', 'hhea', 'maxp', 'loca', 'glyf'];

/** A plain TrueType program (not a collection, not CFF-flavoured) whose table directory lists what pdfjs needs. */
function checkTrueTypeProgram(program: Uint8Array): void {
  if (program.length < 12) fontUnsupported('font program too short');
  const version = latin1(program, 0, 4);
  if (version !== '\x00\x01\x00\x00' && version !== 'true') fontUnsupported('font program is not TrueType');
  const numTables = (program[4]! << 8) | program[5]!;
  if (12 + 16 * numTables > program.length) fontUnsupported('font program table directory is cut short');
  const tags = new Set<string>();
  for (let index = 0; index < numTables; index++) {
    const at = 12 + 16 * index;
    const offset = readUint32(program, at + 8);
    const length = readUint32(program, at + 12);
    if (offset + length > program.length) fontUnsupported('font program table past its end');
    tags.add(latin1(program, at, at + 4));
  }
  if (tags.has('CFF ')) fontUnsupported('CFF outlines in a TrueType font');
  if (REQUIRED_TABLES.some((tag) => !tags.has(tag))) fontUnsupported('font program lacks a required table');
}

function readUint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

/** pdfjs uses a ToUnicode CMap only when it maps something; otherwise it derives one (not followed here). */
function readFontToUnicode(doc: FastDocument, value: PdfValue | undefined): (string | undefined)[] {
  if (!(value instanceof PdfStream)) return fontUnsupported('no ToUnicode CMap');
  const toUnicode = readToUnicode(doc.decode(value));
  if (toUnicode.length === 0) return fontUnsupported('empty ToUnicode CMap');
  return toUnicode;
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
        if (start > 0xffff) return fontUnsupported('CID out of range');
        if (typeof width === 'number') widths[start] = width;
        start++;
      }
    } else if (typeof code === 'number' && Number.isInteger(code)) {
      const width = doc.resolve(w[++i]);
      if (typeof width !== 'number') continue;
      if (code > 0xffff || code - start > 0xffff) return fontUnsupported('CID out of range');
      budget -= code - start + 1;
      if (budget < 0) return fontUnsupported('too many widths');
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
  const string = (value: unknown): string => (typeof value === 'string' ? value : fontUnsupported('malformed CMap'));
  for (;;) {
    const token = reader.read();
    if (token === EOF) break;
    if (!(token instanceof PdfCmd)) continue;
    switch (token.cmd) {
      case 'endcmap':
        return map;
      case 'begincodespacerange':
        for (let t = reader.read(); !(t instanceof PdfCmd && t.cmd === 'endcodespacerange'); t = reader.read()) {
          if (t === EOF) return fontUnsupported('malformed CMap');
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
          if (high - low > 0xffff) return fontUnsupported('CMap range too large');
          budget -= Math.max(0, high - low + 1);
          if (budget < 0) return fontUnsupported('too many CMap mappings');
          const dst = reader.read();
          if (typeof dst === 'string') {
            // pdfjs's mapBfRange, including how it carries into the byte before the last.
            let dstLow = dst;
            const lastByte = dstLow.length - 1;
            if (lastByte < 0) return fontUnsupported('malformed CMap');
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
            return fontUnsupported('malformed CMap');
          }
        }
        break;
      case 'usecmap':
      case 'begincidrange':
      case 'begincidchar':
      case 'beginnotdefrange':
      case 'beginnotdefchar':
        return fontUnsupported(`CMap with ${token.cmd}`);
    }
  }
  return map;
}

function codeOf(bytes: string): number {
  if (bytes.length === 0 || bytes.length > 2) return fontUnsupported('CMap code of unusual length');
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
