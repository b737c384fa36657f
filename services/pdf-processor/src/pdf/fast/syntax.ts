/**
 * A strict reader of PDF object syntax (ISO 32000-1 §7.2–7.3) for the fast text path. "Strict" means: anything
 * unusual — a malformed number, an unknown escape, an unterminated string, nesting too deep — is not repaired
 * but reported as {@link FastPathUnsupported}, and the caller hands the whole document to pdfjs, which knows how
 * to repair. Numbers are computed digit by digit exactly as pdfjs's lexer does, so that coordinates are the same
 * doubles on both paths.
 */

/**
 * Why the fast path declined, in a few classes (metrics labels must stay few; the reasons themselves are many):
 * - `structure`: file structure (xref form, incremental updates, linearization, page tree, object offsets);
 * - `encrypted`: an encrypted document;
 * - `filter`: stream filters other than plain Flate, or Flate data that does not decode cleanly;
 * - `syntax`: object syntax that would need repairing (numbers, strings, names, nesting);
 * - `font`: fonts outside the subset (kinds, encodings, CMaps, font programs);
 * - `content`: content streams (operators, XObjects, ExtGState fonts, right-to-left text);
 * - `error`: an unexpected exception.
 */
export const DECLINE_KINDS = ['structure', 'encrypted', 'filter', 'syntax', 'font', 'content', 'error'] as const;
export type DeclineKind = (typeof DECLINE_KINDS)[number];

export class FastPathUnsupported extends Error {
  override name = 'FastPathUnsupported';
  constructor(
    message: string,
    readonly kind: DeclineKind,
  ) {
    super(message);
  }
}

export function unsupported(reason: string, kind: DeclineKind = 'syntax'): never {
  throw new FastPathUnsupported(reason, kind);
}

/**
 * One object per text, so that equal names (or operators) are the same object; at most 10 000 are kept, so a
 * PDF full of distinct names cannot grow the table without end (past it, each use makes a new object).
 */
function interner<T>(make: (text: string) => T): (text: string) => T {
  const interned = new Map<string, T>();
  return (text) => {
    let found = interned.get(text);
    if (!found) {
      found = make(text);
      if (interned.size < 10_000) interned.set(text, found);
    }
    return found;
  };
}

export class PdfName {
  private constructor(readonly name: string) {}
  static readonly of = interner((name) => new PdfName(name));
}

/** An operator (content streams, CMaps) or another bare keyword. */
export class PdfCmd {
  private constructor(readonly cmd: string) {}
  static readonly of = interner((cmd) => new PdfCmd(cmd));
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}

export class PdfDict {
  constructor(readonly entries: Map<string, PdfValue>) {}
  getRaw(key: string): PdfValue | undefined {
    return this.entries.get(key);
  }
  has(key: string): boolean {
    return this.entries.has(key);
  }
}

export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    /** Offsets of the raw (still encoded) data in the file. */
    readonly start: number,
    readonly end: number,
  ) {}
}

/** Strings are kept as byte strings (one char per byte, 0–255), as pdfjs does. */
export type PdfValue = number | boolean | null | string | PdfName | PdfRef | PdfDict | PdfStream | PdfValue[];

/** End of the data. */
export const EOF = Symbol('EOF');
const ARRAY_END = PdfCmd.of(']');
const DICT_END = PdfCmd.of('>>');
const ARRAY_START = PdfCmd.of('[');
const DICT_START = PdfCmd.of('<<');

// Character classes: 1 = white space, 2 = delimiter.
const CLASS = new Uint8Array(256);
for (const c of [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]) CLASS[c] = 1;
for (const c of '()<>[]{}/%') CLASS[c.charCodeAt(0)] = 2;

const MAX_DEPTH = 64;
const MAX_STRING = 1 << 24;

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

export class Lexer {
  pos: number;
  constructor(
    readonly data: Uint8Array,
    start = 0,
    readonly end = data.length,
  ) {
    this.pos = start;
  }

  skipSpace(): void {
    const { data, end } = this;
    let pos = this.pos;
    while (pos < end) {
      const c = data[pos]!;
      if (CLASS[c] === 1) {
        pos++;
      } else if (c === 0x25) {
        // Comment, up to the end of the line.
        while (pos < end && data[pos] !== 0x0a && data[pos] !== 0x0d) pos++;
      } else {
        break;
      }
    }
    this.pos = pos;
  }

  /** The next token: a simple value, a keyword or a structural mark (`[`, `]`, `<<`, `>>`), or EOF. */
  next(): Exclude<PdfValue, PdfRef | PdfDict | PdfStream | PdfValue[]> | PdfCmd | typeof EOF {
    this.skipSpace();
    const { data, end } = this;
    if (this.pos >= end) return EOF;
    const c = data[this.pos]!;
    switch (c) {
      case 0x2f: // /
        return this.name();
      case 0x28: // (
        return this.literalString();
      case 0x3c: // <
        if (data[this.pos + 1] === 0x3c) {
          this.pos += 2;
          return DICT_START;
        }
        return this.hexString();
      case 0x3e: // >
        if (data[this.pos + 1] === 0x3e) {
          this.pos += 2;
          return DICT_END;
        }
        return unsupported('stray >');
      case 0x5b:
        this.pos++;
        return ARRAY_START;
      case 0x5d:
        this.pos++;
        return ARRAY_END;
      case 0x7b:
      case 0x7d:
      case 0x29:
        return unsupported(`unexpected ${String.fromCharCode(c)}`);
    }
    if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) return this.number();
    const start = this.pos;
    let pos = start;
    while (pos < end && CLASS[data[pos]!] === 0) pos++;
    this.pos = pos;
    const word = latin1(data, start, pos);
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    return PdfCmd.of(word);
  }

  /** pdfjs's number algorithm (digits accumulated, then one division), without its repairs. */
  private number(): number {
    const { data, end } = this;
    let pos = this.pos;
    let sign = 1;
    let c = data[pos]!;
    if (c === 0x2d) {
      sign = -1;
      c = data[++pos] ?? -1;
    } else if (c === 0x2b) {
      c = data[++pos] ?? -1;
    }
    let divideBy = 0;
    if (c === 0x2e) {
      divideBy = 10;
      c = data[++pos] ?? -1;
    }
    if (c < 0x30 || c > 0x39) return unsupported('malformed number');
    let baseValue = c - 0x30;
    pos++;
    while (pos < end) {
      c = data[pos]!;
      if (c >= 0x30 && c <= 0x39) {
        if (divideBy !== 0) divideBy *= 10;
        baseValue = baseValue * 10 + (c - 0x30);
      } else if (c === 0x2e) {
        if (divideBy !== 0) return unsupported('malformed number');
        divideBy = 1;
      } else if (CLASS[c] === 0) {
        return unsupported('malformed number');
      } else {
        break;
      }
      pos++;
    }
    this.pos = pos;
    if (divideBy !== 0) baseValue /= divideBy;
    return sign * baseValue;
  }

  private name(): PdfName {
    const { data, end } = this;
    let pos = this.pos + 1;
    const start = pos;
    let escaped = false;
    while (pos < end && CLASS[data[pos]!] === 0) {
      if (data[pos] === 0x23) escaped = true;
      pos++;
    }
    this.pos = pos;
    if (!escaped) return PdfName.of(latin1(data, start, pos));
    let name = '';
    for (let i = start; i < pos; i++) {
      const c = data[i]!;
      if (c === 0x23) {
        const high = hexValue(data[i + 1] ?? -1);
        const low = hexValue(data[i + 2] ?? -1);
        if (high < 0 || low < 0 || i + 2 >= pos) return unsupported('malformed name escape');
        name += String.fromCharCode((high << 4) | low);
        i += 2;
      } else {
        name += String.fromCharCode(c);
      }
    }
    return PdfName.of(name);
  }

  private literalString(): string {
    const { data, end } = this;
    let pos = this.pos + 1;
    let depth = 1;
    const out: number[] = [];
    // Fast case: no escapes and no carriage returns.
    const start = pos;
    while (pos < end) {
      const c = data[pos]!;
      if (c === 0x5c || c === 0x0d) break;
      if (c === 0x28) depth++;
      else if (c === 0x29 && --depth === 0) {
        this.pos = pos + 1;
        return latin1(data, start, pos);
      }
      pos++;
    }
    for (let i = start; i < pos; i++) out.push(data[i]!);
    while (pos < end) {
      const c = data[pos++]!;
      if (c === 0x28) {
        depth++;
        out.push(c);
      } else if (c === 0x29) {
        if (--depth === 0) {
          this.pos = pos;
          if (out.length > MAX_STRING) return unsupported('string too long');
          return bytesToString(out);
        }
        out.push(c);
      } else if (c === 0x0d) {
        // A raw end of line in a string: the specification and pdfjs's handling need not agree.
        return unsupported('raw carriage return in a string');
      } else if (c === 0x5c) {
        const e = data[pos++] ?? -1;
        switch (e) {
          case 0x6e:
            out.push(0x0a);
            break;
          case 0x72:
            out.push(0x0d);
            break;
          case 0x74:
            out.push(0x09);
            break;
          case 0x62:
            out.push(0x08);
            break;
          case 0x66:
            out.push(0x0c);
            break;
          case 0x28:
          case 0x29:
          case 0x5c:
            out.push(e);
            break;
          default:
            if (e >= 0x30 && e <= 0x37) {
              let value = e - 0x30;
              for (let digits = 1; digits < 3; digits++) {
                const d = data[pos] ?? -1;
                if (d < 0x30 || d > 0x37) break;
                value = (value << 3) | (d - 0x30);
                pos++;
              }
              out.push(value & 0xff);
            } else {
              return unsupported('unusual string escape');
            }
        }
      } else {
        out.push(c);
      }
    }
    return unsupported('unterminated string');
  }

  private hexString(): string {
    const { data, end } = this;
    let pos = this.pos + 1;
    let out = '';
    let first = -1;
    while (pos < end) {
      const c = data[pos++]!;
      if (c === 0x3e) {
        if (first >= 0) out += String.fromCharCode(first << 4);
        this.pos = pos;
        return out;
      }
      if (CLASS[c] === 1) continue;
      const digit = hexValue(c);
      if (digit < 0) return unsupported('malformed hex string');
      if (first < 0) {
        first = digit;
      } else {
        out += String.fromCharCode((first << 4) | digit);
        first = -1;
      }
    }
    return unsupported('unterminated hex string');
  }
}

export function latin1(data: Uint8Array, start: number, end: number): string {
  if (end - start < 64) {
    let out = '';
    for (let i = start; i < end; i++) out += String.fromCharCode(data[i]!);
    return out;
  }
  return Buffer.from(data.buffer, data.byteOffset + start, end - start).toString('latin1');
}

function bytesToString(bytes: number[]): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.slice(i, i + 8192));
  return out;
}

/**
 * Reads complete values. With `refs`, `n g R` is an indirect reference (file objects); without, keywords are
 * returned as {@link PdfCmd} (content streams, CMaps).
 */
export class ObjectReader {
  constructor(
    readonly lexer: Lexer,
    private readonly refs: boolean,
  ) {}

  /** The next value, or a keyword (PdfCmd), or EOF. */
  read(depth = 0): PdfValue | PdfCmd | typeof EOF {
    const token = this.lexer.next();
    if (token === ARRAY_START) return this.array(depth + 1);
    if (token === DICT_START) return this.dict(depth + 1);
    if (token === ARRAY_END || token === DICT_END) return unsupported('unbalanced ] or >>');
    if (this.refs && typeof token === 'number' && Number.isInteger(token) && token >= 0) {
      const lexer = this.lexer;
      const saved = lexer.pos;
      lexer.skipSpace();
      const c = lexer.data[lexer.pos] ?? -1;
      if (c >= 0x30 && c <= 0x39) {
        const gen = lexer.next();
        if (typeof gen === 'number' && Number.isInteger(gen)) {
          const r = lexer.next();
          if (r instanceof PdfCmd && r.cmd === 'R') return new PdfRef(token, gen);
        }
      }
      lexer.pos = saved;
    }
    return token;
  }

  /** The next value; a keyword or EOF here is an error. */
  value(depth = 0): PdfValue {
    const value = this.read(depth);
    if (value === EOF || value instanceof PdfCmd) return unsupported('expected a value');
    return value;
  }

  array(depth: number): PdfValue[] {
    if (depth > MAX_DEPTH) return unsupported('nesting too deep');
    const out: PdfValue[] = [];
    for (;;) {
      const token = this.lexer.next();
      if (token === ARRAY_END) return out;
      if (token === EOF) return unsupported('unterminated array');
      if (token === ARRAY_START) out.push(this.array(depth + 1));
      else if (token === DICT_START) out.push(this.dict(depth + 1));
      else if (token === DICT_END) return unsupported('unbalanced >>');
      else if (token instanceof PdfCmd) {
        if (!this.refs || token.cmd !== 'R') return unsupported('keyword in an array');
        const gen = out.pop();
        const num = out.pop();
        if (!isIndex(num) || !isIndex(gen)) return unsupported('malformed reference');
        out.push(new PdfRef(num, gen));
      } else out.push(token);
    }
  }

  dict(depth: number): PdfDict {
    if (depth > MAX_DEPTH) return unsupported('nesting too deep');
    const entries = new Map<string, PdfValue>();
    for (;;) {
      const key = this.lexer.next();
      if (key === DICT_END) return new PdfDict(entries);
      if (!(key instanceof PdfName)) return unsupported('dictionary key is not a name');
      const value = this.read(depth);
      if (value === EOF || value instanceof PdfCmd) return unsupported('malformed dictionary');
      entries.set(key.name, value);
    }
  }
}

export function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
