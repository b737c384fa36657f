import type { PageText } from './text-item.js';

/**
 * Characters whose compatibility form would change what the statement says (a product's "100 µG" is micrograms,
 * "m²" is not "m2"): they are kept as printed.
 */
const KEEP = new Set(['µ', '¹', '²', '³', 'º', 'ª', '¼', '½', '¾', '…', '™']);
const SOFT_HYPHEN = '\u00ad';
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/g;
const NON_ASCII = /[^ -~]/;

/**
 * Text as the producer's font shaping wrote it, brought back to what was typed: ligatures (ﬁ ﬂ ﬀ ﬃ ﬄ ﬅ ﬆ) and
 * full-width or other compatibility forms become their NFKC equivalent, every space variant a plain space, and
 * zero-width characters go. Soft hyphens stay: where a label wraps they mark a word cut in two
 * (`joinWrapped` removes them).
 */
export function normalizeGlyphs(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  let out = '';
  for (const char of text.replace(ZERO_WIDTH, '')) {
    if (char === SOFT_HYPHEN || KEEP.has(char)) out += char;
    else if (/\s/.test(char)) out += ' ';
    else out += char.normalize('NFKC');
  }
  return out;
}

/** The pages with every item's text normalised (see `normalizeGlyphs`); items left empty are dropped. */
export function normalizePages(pages: PageText[]): PageText[] {
  return pages.map((page) => ({
    ...page,
    items: page.items
      .map((item) => {
        const str = normalizeGlyphs(item.str);
        return str === item.str ? item : { ...item, str };
      })
      .filter((item) => item.str.length > 0),
  }));
}

/** Joins the pieces of a wrapped cell, top to bottom: a piece ending with a soft hyphen continues its word. */
export function joinWrapped(pieces: string[]): string {
  let text = '';
  for (const piece of pieces) {
    const part = piece.trim();
    if (!part) continue;
    if (text.endsWith(SOFT_HYPHEN)) text = text.slice(0, -1) + part;
    else text = text ? `${text} ${part}` : part;
  }
  return text.replaceAll(SOFT_HYPHEN, '');
}
