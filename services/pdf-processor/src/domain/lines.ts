import type { PageText, TextItem } from './text-item.js';

/** Items sharing a baseline, left to right. */
export interface Line {
  page: number;
  /** 1-based position on the page, top to bottom. */
  number: number;
  y: number;
  /** Largest font size on the line (for vertical proximity tests). */
  height: number;
  items: TextItem[];
  text: string;
}

const DEFAULT_HEIGHT = 10;

/**
 * Groups a page's items into lines by baseline, whatever order the producer emitted them in. Two items belong
 * to one line when their baselines differ by less than a fifth of the smaller font size
 * (lines of small text can be less than 2.5 pt apart when a producer wraps badly).
 */
export function groupLines(page: PageText): Line[] {
  const sorted = [...page.items].sort((a, b) => b.y - a.y || a.x - b.x);
  const groups: TextItem[][] = [];
  let current: TextItem[] = [];
  let baseline = Number.NaN;
  for (const item of sorted) {
    const tolerance = Math.max(0.75, 0.2 * Math.min(sizeOf(item), sizeOf(current[0])));
    if (current.length > 0 && Math.abs(baseline - item.y) <= tolerance) {
      current.push(item);
      continue;
    }
    if (current.length > 0) groups.push(current);
    current = [item];
    baseline = item.y;
  }
  if (current.length > 0) groups.push(current);
  return groups.map((items, index) => {
    const ordered = dedupeOverlaps(items.sort((a, b) => a.x - b.x));
    return {
      page: page.page,
      number: index + 1,
      y: Math.max(...ordered.map((item) => item.y)),
      height: Math.max(...ordered.map(sizeOf)),
      items: ordered,
      text: joinItems(ordered),
    };
  });
}

/** Glues items that touch (pieces of one word split by the producer) into single runs. */
export function mergeTouching(items: TextItem[]): TextItem[] {
  const runs: TextItem[] = [];
  for (const item of items) {
    const previous = runs.at(-1);
    if (previous && !needsSpace(previous, item)) {
      runs[runs.length - 1] = { ...previous, str: previous.str + item.str, width: item.x + item.width - previous.x };
    } else {
      runs.push(item);
    }
  }
  return runs;
}

function needsSpace(previous: TextItem, item: TextItem): boolean {
  const gap = item.x - (previous.x + previous.width);
  return gap > 0.12 * Math.min(sizeOf(item), sizeOf(previous)) || /\s$/.test(previous.str) || /^\s/.test(item.str);
}

/** Joins items left to right, inserting a space only where the gap between them looks like one. */
export function joinItems(items: TextItem[]): string {
  let text = '';
  let previous: TextItem | undefined;
  for (const item of items) {
    if (previous && needsSpace(previous, item) && !/\s$/.test(text) && !/^\s/.test(item.str)) text += ' ';
    text += item.str;
    previous = item;
  }
  return text.replace(/\s+/g, ' ').trim();
}

export function sizeOf(item: TextItem | undefined): number {
  return item && item.height > 0 ? item.height : DEFAULT_HEIGHT;
}

/** Some producers draw a run twice (fake bold); keep one copy of items with the same text at the same spot. */
function dedupeOverlaps(items: TextItem[]): TextItem[] {
  return items.filter((item, index) => {
    const previous = items[index - 1];
    return !(previous && previous.str === item.str && Math.abs(previous.x - item.x) < 0.5);
  });
}
