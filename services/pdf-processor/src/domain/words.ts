import type { TextItem } from './text-item.js';

/**
 * Splits items into words with estimated positions (a producer may merge several columns into one item, or
 * split a word into pieces). Widths are shared out in proportion to the characters, which is close enough
 * to find which column a word sits in.
 */
export function splitIntoWords(items: TextItem[]): TextItem[] {
  const words: TextItem[] = [];
  for (const item of items) {
    const chars = [...item.str];
    const charWidth = chars.length > 0 ? item.width / chars.length : 0;
    let start = -1;
    for (let index = 0; index <= chars.length; index++) {
      const char = chars[index];
      const isSpace = char === undefined || /\s/.test(char);
      if (!isSpace && start < 0) start = index;
      if (isSpace && start >= 0) {
        words.push({
          str: chars.slice(start, index).join(''),
          x: item.x + start * charWidth,
          y: item.y,
          width: (index - start) * charWidth,
          height: item.height,
        });
        start = -1;
      }
    }
  }
  return words;
}
