/**
 * The statement's own words: the table and product headers, the balance lines, the title block and the page
 * footer. They are printed by every statement whatever the customer, so a layout dump keeps them in clear
 * (they show where a producer put the header and the balances). Compared without case, accents or
 * compatibility forms: `SOLDE`, `Libelle`, `Nº` and `Qte` match too.
 */
export const KEPT_WORDS: readonly string[] = [
  'Relevé',
  'client',
  'détaillé',
  'Période',
  'Date',
  'Transaction',
  'N°',
  'Libellé',
  'Total',
  'Solde',
  'initial',
  'final',
  'Produit',
  'Qté',
  'P.U.',
  'Remise',
  'remisé',
  'Page',
];

const MARK = /^\p{M}$/u;
const LETTER_OR_NUMBER = /[\p{L}\p{N}]/u;
/** Codes with no meaning of their own: a font without a Unicode map gives these for letters it printed. */
const MEANINGLESS = /^[\p{Co}\p{Cn}\p{Cs}\p{Cc}]$/u;

/** How a character compares with the kept words: compatibility form, lower case, no accent; `º` reads as `°`. */
function keyOf(char: string): string {
  if (char === 'º') return '°';
  return char.normalize('NFKD').toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '');
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function keptWordsPattern(words: readonly string[]): RegExp {
  const keys = [...new Set(words.map((word) => Array.from(word, keyOf).join('')))].sort((a, b) => b.length - a.length);
  // A kept word counts only as a whole word: "Solde" in "Soldeberg" is a name like any other.
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${keys.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`, 'gu');
}

const KEPT = keptWordsPattern(KEPT_WORDS);

/**
 * A text as the page printed it, without its data: every digit becomes `9`, every letter `x` (a ligature or other
 * compatibility form by as many as it stands for: `ﬁ` → `xx`, `½` → `9⁄9`; accents go with their letter), a
 * character with no meaning (private use, unassigned, control) `?`. Spaces of every kind, punctuation and symbols
 * stay as printed, so separators (`1 234,56` → `9 999,99`, a U+202F stays a U+202F) and signs remain visible. The
 * statement's own words (`KEPT_WORDS`) stay as printed, but only as whole words.
 */
export function redactLayoutText(text: string): string {
  const chars = Array.from(text);
  let key = '';
  const starts: number[] = [];
  const ends: number[] = [];
  for (const char of chars) {
    starts.push(key.length);
    key += keyOf(char);
    ends.push(key.length);
  }
  const kept = new Array<boolean>(chars.length).fill(false);
  for (const match of key.matchAll(KEPT)) {
    const from = match.index;
    const to = from + match[0].length;
    for (let i = 0; i < chars.length; i++) {
      if (ends[i]! > starts[i]! && starts[i]! >= from && ends[i]! <= to) kept[i] = true;
    }
  }
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    // A combining accent belongs to the letter before it: kept with a kept word, gone with a redacted letter.
    if (MARK.test(char)) kept[i] = i > 0 && kept[i - 1]!;
    if (kept[i]) out += char;
    else if (!MARK.test(char)) out += redactChar(char);
  }
  return out;
}

function redactChar(char: string): string {
  if (/^\s$/u.test(char)) return char;
  if (MEANINGLESS.test(char)) return '?';
  const compat = char.normalize('NFKC');
  if (!LETTER_OR_NUMBER.test(compat)) return char;
  return compat.replace(/\p{M}/gu, '').replace(/\p{L}/gu, 'x').replace(/\p{N}/gu, '9');
}
