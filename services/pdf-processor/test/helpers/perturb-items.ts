import type { PageText, TextItem } from '../../src/domain/text-item.js';
import { createRandom } from './mutate-pdf.js';

type Random = ReturnType<typeof createRandom>;

/**
 * Rewrites a page's text items the way another PDF producer might emit them: runs split into pieces (one
 * per glyph run), the pieces of a cell merged back differently, baselines off by a fraction of a point, and
 * any order. (Runs merging two numeric cells are not produced: "1 5 036,70" is ambiguous without glyph widths.)
 */
export function perturbPage(page: PageText, seed: number): PageText {
  const random = createRandom(seed);
  let items = mergeLabelWords(page.items, random);
  items = items.flatMap((item) => (random.next() < 0.3 ? splitItem(item, random) : [item]));
  items = items.map((item) => ({ ...item, y: item.y + (random.next() - 0.5) * 0.5 }));
  for (let index = items.length - 1; index > 0; index--) {
    const other = random.int(0, index);
    [items[index], items[other]] = [items[other]!, items[index]!];
  }
  return { ...page, items };
}

function splitItem(item: TextItem, random: Random): TextItem[] {
  const chars = [...item.str];
  if (chars.length < 2) return [item];
  const cut = random.int(1, chars.length - 1);
  const charWidth = item.width / chars.length;
  return [
    { ...item, str: chars.slice(0, cut).join(''), width: cut * charWidth },
    { ...item, str: chars.slice(cut).join(''), x: item.x + cut * charWidth, width: (chars.length - cut) * charWidth },
  ];
}

/** Merges some runs with the run that follows them closely on the same line (words of one cell). */
function mergeLabelWords(items: TextItem[], random: Random): TextItem[] {
  const sorted = [...items].sort((a, b) => b.y - a.y || a.x - b.x);
  const out: TextItem[] = [];
  for (const item of sorted) {
    const previous = out.at(-1);
    const gap = previous ? item.x - (previous.x + previous.width) : Number.POSITIVE_INFINITY;
    if (previous && previous.y === item.y && gap >= 0 && gap < item.height && random.next() < 0.5) {
      out[out.length - 1] = {
        ...previous,
        str: `${previous.str} ${item.str}`,
        width: item.x + item.width - previous.x,
      };
    } else {
      out.push(item);
    }
  }
  return out;
}

/** Every item split into single glyphs, each at its share of the item's width (as producers that place every glyph). */
export function singleGlyphs(page: PageText): PageText {
  return {
    ...page,
    items: page.items.flatMap((item) => {
      const chars = [...item.str];
      const width = item.width / Math.max(1, chars.length);
      return chars.map((char, index) => ({ ...item, str: char, x: item.x + index * width, width }));
    }),
  };
}
