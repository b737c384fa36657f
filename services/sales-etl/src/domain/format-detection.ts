export type TextEncoding = 'utf-8' | 'windows-1252' | 'windows-1251';

const UTF8_BOM = [0xef, 0xbb, 0xbf];

export function hasUtf8Bom(bytes: Uint8Array): boolean {
  return UTF8_BOM.every((byte, i) => bytes[i] === byte);
}

/** Charset named by a Content-Type header, mapped to the encodings the importer reads. */
export function charsetFromContentType(contentType: string | undefined): TextEncoding | undefined {
  const charset = /charset\s*=\s*"?([\w-]+)/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (!charset) return undefined;
  if (charset === 'utf-8' || charset === 'utf8') return 'utf-8';
  if (['windows-1252', 'cp1252', 'iso-8859-1', 'latin1', 'iso-8859-15'].includes(charset)) return 'windows-1252';
  if (['windows-1251', 'cp1251'].includes(charset)) return 'windows-1251';
  return undefined;
}

/** True when the bytes are valid UTF-8, ignoring a sequence cut at the very end of the sample. */
export function isValidUtf8(bytes: Uint8Array, complete: boolean): boolean {
  let i = 0;
  while (i < bytes.length) {
    const byte = bytes[i]!;
    if (byte < 0x80) {
      i++;
      continue;
    }
    const length = byte >= 0xf0 && byte <= 0xf4 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc2 && byte <= 0xdf ? 2 : 0;
    if (length === 0 || byte > 0xf4) return false;
    if (i + length > bytes.length) return !complete;
    for (let k = 1; k < length; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return false;
    i += length;
  }
  return true;
}

const isAsciiLetter = (byte: number | undefined) =>
  byte !== undefined && ((byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a));
const isHighLetter = (byte: number | undefined) => byte !== undefined && byte >= 0xc0;

/**
 * Chooses the encoding of a sample. A BOM or valid UTF-8 wins; otherwise the declared charset; otherwise
 * Cyrillic (Windows-1251) when letters above 0xC0 mostly sit next to each other (Russian words are made of
 * them), Latin (Windows-1252) when they sit among ASCII letters (accents in French words).
 */
export function detectEncoding(sample: Uint8Array, complete: boolean, declared?: TextEncoding): TextEncoding {
  if (hasUtf8Bom(sample) || isValidUtf8(sample, complete)) return 'utf-8';
  if (declared && declared !== 'utf-8') return declared;
  let amongHigh = 0;
  let amongAscii = 0;
  for (let i = 0; i < sample.length; i++) {
    if (!isHighLetter(sample[i])) continue;
    if (isHighLetter(sample[i - 1]) || isHighLetter(sample[i + 1])) amongHigh++;
    else if (isAsciiLetter(sample[i - 1]) || isAsciiLetter(sample[i + 1])) amongAscii++;
  }
  return amongHigh > amongAscii ? 'windows-1251' : 'windows-1252';
}

const CANDIDATE_DELIMITERS = [',', ';', '\t'] as const;
export type Delimiter = (typeof CANDIDATE_DELIMITERS)[number];

/** The delimiter that splits the header line into the most fields (quoted text ignored). Comma on a tie. */
export function detectDelimiter(text: string): Delimiter {
  const end = text.search(/\r?\n/);
  const header = end < 0 ? text : text.slice(0, end);
  const counts = new Map<string, number>();
  let quoted = false;
  for (const char of header) {
    if (char === '"') quoted = !quoted;
    else if (!quoted) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best: Delimiter = ',';
  for (const candidate of CANDIDATE_DELIMITERS) {
    if ((counts.get(candidate) ?? 0) > (counts.get(best) ?? 0)) best = candidate;
  }
  return best;
}
