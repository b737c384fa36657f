import { describe, expect, it } from 'vitest';
import { assignOwners, detectAlignment, type Stretch } from './vertical-alignment.js';

/** Lines from a picture, top to bottom: `A` an anchor, `t` a wrapped line, each with its baseline ('A700 t690'). */
const stretch = (picture: string, edges: Partial<Stretch> = {}): Stretch => ({
  lines: picture.split(' ').map((line) => ({ y: Number(line.slice(1)), size: 9, anchor: line[0] === 'A' })),
  afterHeader: true,
  beforeHeader: true,
  ...edges,
});

describe('vertical alignment of table cells', () => {
  it('top-aligned: wrapped lines end a stretch, never start one; they go to the anchor above', () => {
    const lines = stretch('A700 t690 A676 t666 t656');
    expect(detectAlignment([lines])).toBe('top');
    expect(assignOwners(lines, 'top')).toEqual([0, 0, 2, 2, 2]);
  });

  it('bottom-aligned: wrapped lines start a stretch; they go to the anchor below', () => {
    const lines = stretch('t700 A690 t676 t666 A656');
    expect(detectAlignment([lines])).toBe('bottom');
    expect(assignOwners(lines, 'bottom')).toEqual([1, 1, 4, 4, 4]);
  });

  it('centred: lines at half a line from an anchor give it away, even with no wrapped line at the edges', () => {
    const lines = stretch('A700 t690.5 A685.25 t680 A670');
    expect(detectAlignment([lines])).toBe('middle');
  });

  it('centred rows without padding: a long label next to a one-line row keeps all its lines', () => {
    // Row 1: five label lines around its anchor (700 is its third line); row 2: one line, right below.
    const lines = stretch('t720 t710 A700 t690 t680 A670');
    expect(assignOwners(lines, 'middle')).toEqual([2, 2, 2, 2, 2, 5]);
  });

  it('centred rows: a wrapped line goes to the side of the wider gap when the centres tie', () => {
    // A product line (anchor 85) with its name over 90 and 79.8, then a row cut by the page bottom.
    const lines = stretch('t90.2 A85 t79.8 A65.8 t55.5', { beforeHeader: false });
    expect(assignOwners(lines, 'middle')).toEqual([1, 1, 1, 3, 3]);
  });

  it('a page that carries on the table: lines above the first anchor may end the last row of the page before', () => {
    const continued = { afterHeader: false };
    expect(assignOwners(stretch('t720 A700 t690', continued), 'top')).toEqual(['previous', 1, 1]);
    // Bottom-aligned without padding: the border line between the two rows widens their gap a little.
    expect(assignOwners(stretch('t726.8 t716.3 A705', continued), 'bottom')).toEqual(['previous', 'previous', 2]);
  });

  it('lines with no anchor at all continue the row before', () => {
    expect(assignOwners(stretch('t700', { afterHeader: false }), 'middle')).toEqual(['previous']);
  });

  it('evenly spaced wrapped lines between anchors say nothing; the table is then read top-aligned', () => {
    const lines = stretch('A700 t690 A680 t670 A660');
    expect(detectAlignment([lines])).toBe('top');
  });
});
