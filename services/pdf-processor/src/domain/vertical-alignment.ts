/**
 * Which row a wrapped line belongs to. A table row is drawn as one anchor line (the line holding the row's
 * date, or a product line's figures) and the wrapped lines of its text cells. Where those sit depends on how
 * the producer aligns cells vertically: below the anchor (top-aligned), around it (centred) or above it
 * (bottom-aligned). Gaps between rows cannot tell, as a producer may pad rows by nothing, so the alignment is
 * read from where the wrapped lines stand at the edges of each stretch of table: after a header a top-aligned
 * table starts with an anchor, and before a header or the end of the table a bottom-aligned one ends with one.
 */

export type Alignment = 'top' | 'middle' | 'bottom';

/** Baseline-to-baseline distance of wrapped text, in font sizes, when nothing on the page shows it. */
const LINE_HEIGHT = 1.15;
/**
 * How much a point of gap between two lines weighs, against a point off centre, when choosing where one centred
 * row ends: rows are usually padded, so a wider gap is a likelier border.
 */
const BORDER_GAP_WEIGHT = 0.5;

export interface StackedLine {
  /** Baseline (PDF space: larger is higher on the page). */
  y: number;
  /** Font size. */
  size: number;
  /** An anchor line, or a wrapped line that belongs to one. */
  anchor: boolean;
}

/** Lines of one page between two interruptions (a header, the end of the table or of the page), top to bottom. */
export interface Stretch {
  lines: StackedLine[];
  /** Starts right below a header (otherwise at the top of a page that carries on the table). */
  afterHeader: boolean;
  /** Ends at a header or at the end of the table (otherwise at the bottom of a page). */
  beforeHeader: boolean;
}

/** For each line of a stretch: the index of its anchor in the stretch, or 'previous' (the last anchor before). */
export type Owners = (number | 'previous')[];

export function detectAlignment(stretches: Stretch[]): Alignment {
  let startsWrapped = 0;
  let endsWrapped = 0;
  for (const { lines, afterHeader, beforeHeader } of stretches) {
    if (!lines.some((line) => line.anchor)) continue;
    if (afterHeader && !lines[0]!.anchor) startsWrapped++;
    if (beforeHeader && !lines.at(-1)!.anchor) endsWrapped++;
  }
  if ((startsWrapped > 0 && endsWrapped > 0) || hasHalfLineOffsets(stretches)) return 'middle';
  if (startsWrapped > 0) return 'bottom';
  if (endsWrapped > 0) return 'top';
  return alignmentFromSpacing(stretches);
}

/**
 * A centred cell of an even number of lines puts the anchor's baseline halfway between two of them: half a
 * line from its nearest wrapped line, which never happens when the anchor line holds the cell's first or last line.
 */
function hasHalfLineOffsets(stretches: Stretch[]): boolean {
  const wrapSteps: number[] = [];
  for (const { lines } of stretches) {
    for (let index = 1; index < lines.length; index++) {
      if (!lines[index - 1]!.anchor && !lines[index]!.anchor) wrapSteps.push(lines[index - 1]!.y - lines[index]!.y);
    }
  }
  const wrapStep = wrapSteps.sort((a, b) => a - b)[Math.floor(wrapSteps.length / 4)];
  return stretches.some(({ lines }) =>
    lines.some((line, index) => {
      if (!line.anchor) return false;
      const step = wrapStep ?? LINE_HEIGHT * line.size;
      const near = [lines[index - 1], lines[index + 1]].filter((other) => other && !other.anchor);
      return near.some((other) => Math.abs(other!.y - line.y) < 0.7 * step);
    }),
  );
}

/**
 * Without wrapped lines at the edges (and no half-line offsets, so not centred): a run of wrapped lines between
 * two anchors sits closer to the anchor it belongs to when rows are padded. Evenly spaced lines say nothing;
 * then top-aligned, the common case.
 */
function alignmentFromSpacing(stretches: Stretch[]): Alignment {
  let top = 0;
  let bottom = 0;
  for (const { lines } of stretches) {
    let index = 0;
    while (index < lines.length) {
      if (lines[index]!.anchor) {
        index++;
        continue;
      }
      const start = index;
      while (index < lines.length && !lines[index]!.anchor) index++;
      const above = lines[start - 1];
      const below = lines[index];
      if (!above || !below) continue;
      const gapAbove = above.y - lines[start]!.y;
      const gapBelow = lines[index - 1]!.y - below.y;
      if (gapBelow > gapAbove * 1.15) top++;
      else if (gapAbove > gapBelow * 1.15) bottom++;
    }
  }
  return bottom > top ? 'bottom' : 'top';
}

/** The anchor each line of the stretch belongs to (an anchor owns itself). */
export function assignOwners(stretch: Stretch, alignment: Alignment): Owners {
  const { lines } = stretch;
  const anchors = lines.flatMap((line, index) => (line.anchor ? [index] : []));
  const canContinue = !stretch.afterHeader;
  if (anchors.length === 0) return lines.map(() => 'previous');
  if (alignment === 'top') {
    let owner: number | 'previous' = canContinue ? 'previous' : anchors[0]!;
    return lines.map((line, index) => {
      if (line.anchor) owner = index;
      return owner;
    });
  }
  if (alignment === 'bottom') {
    const owners: Owners = new Array(lines.length);
    let owner = anchors.at(-1)!;
    for (let index = lines.length - 1; index >= 0; index--) {
      if (lines[index]!.anchor) owner = index;
      owners[index] = owner;
    }
    const continued = canContinue ? continuedLines(lines, anchors[0]!) : 0;
    for (let index = 0; index < continued; index++) owners[index] = 'previous';
    return owners;
  }
  return centredOwners(lines, anchors, canContinue);
}

/**
 * Bottom-aligned cells on a page that carries on a row cut by the page break: the wrapped lines above the first
 * anchor may end that row before the first anchor's own lines start. The border between them is the widest
 * gap, when it is wider than the lines' own spacing.
 */
function continuedLines(lines: StackedLine[], firstAnchor: number): number {
  if (firstAnchor === 0) return 0;
  const gaps = range(1, firstAnchor + 1).map((index) => lines[index - 1]!.y - lines[index]!.y);
  const spacing = Math.min(...gaps);
  const widest = Math.max(...gaps);
  return widest > spacing * 1.05 ? gaps.indexOf(widest) + 1 : 0;
}

/**
 * Centred cells: each anchor sits halfway between the first and last lines it owns. The wrapped lines
 * between two anchors are split where that holds best, over the whole stretch at once (a long label next to a
 * one-line row must not lose its lines to its neighbour because they are nearer to it).
 */
function centredOwners(lines: StackedLine[], anchors: number[], canContinue: boolean): Owners {
  // gaps[g]: indices of the wrapped lines above anchor g (g = anchors.length: those below the last anchor).
  const gaps: number[][] = [];
  let previous = -1;
  for (const anchor of [...anchors, lines.length]) {
    gaps.push(range(previous + 1, anchor));
    previous = anchor;
  }
  // split[g]: how many lines of gap g go to the anchor above it (the rest go to the anchor below).
  const choices = gaps.map((gap, g) => {
    if (g === 0) return canContinue ? range(0, gap.length + 1) : [0];
    if (g === gaps.length - 1) return [gap.length];
    return range(0, gap.length + 1);
  });
  const rowCost = (anchorIndex: number, fromAbove: number, toBelow: number): number => {
    const above = gaps[anchorIndex]!.slice(fromAbove);
    const below = gaps[anchorIndex + 1]!.slice(0, toBelow);
    const owned = [...above, anchors[anchorIndex]!, ...below].map((index) => lines[index]!.y);
    const middle = (Math.max(...owned) + Math.min(...owned)) / 2;
    return Math.abs(middle - lines[anchors[anchorIndex]!]!.y);
  };
  // The gap between the last line given to the anchor above and the first given to the anchor below.
  const borderGap = (g: number, split: number): number => {
    if (g === 0 || g === gaps.length - 1) return 0;
    const before = split === 0 ? anchors[g - 1]! : gaps[g]![split - 1]!;
    const after = split === gaps[g]!.length ? anchors[g]! : gaps[g]![split]!;
    return lines[before]!.y - lines[after]!.y;
  };
  // best[g][c]: cheapest cost of the anchors above gap g, with choice c in gap g.
  let best = choices[0]!.map(() => 0);
  const back: number[][] = [];
  for (let g = 1; g < gaps.length; g++) {
    const next = choices[g]!.map((split) => {
      let cost = Number.POSITIVE_INFINITY;
      let from = 0;
      choices[g - 1]!.forEach((previousSplit, c) => {
        const candidate = best[c]! + rowCost(g - 1, previousSplit, split) - BORDER_GAP_WEIGHT * borderGap(g, split);
        if (candidate < cost - 1e-9) [cost, from] = [candidate, c];
      });
      return { cost, from };
    });
    back.push(next.map((choice) => choice.from));
    best = next.map((choice) => choice.cost);
  }
  const splits: number[] = new Array(gaps.length);
  let c = best.indexOf(Math.min(...best));
  for (let g = gaps.length - 1; g >= 0; g--) {
    splits[g] = choices[g]![c]!;
    if (g > 0) c = back[g - 1]![c]!;
  }
  const owners: Owners = new Array(lines.length);
  gaps.forEach((gap, g) => {
    gap.forEach((index, position) => {
      const toAbove = position < splits[g]!;
      owners[index] = toAbove ? (g === 0 ? 'previous' : anchors[g - 1]!) : anchors[g]!;
    });
  });
  for (const anchor of anchors) owners[anchor] = anchor;
  return owners;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, index) => from + index);
}
