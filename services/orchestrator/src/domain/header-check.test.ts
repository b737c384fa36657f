import { describe, expect, it } from 'vitest';
import { compareHeader, describeDifference } from './header-check.js';

describe('compareHeader', () => {
  const target = ['a', 'b', 'c'];
  it.each([
    [['a', 'b', 'c'], undefined],
    [['c', ' a ', 'b'], undefined],
    [['a', 'b'], { missing: ['c'], unexpected: [], duplicated: [] }],
    [['a', 'b', 'c', 'd'], { missing: [], unexpected: ['d'], duplicated: [] }],
    [['a', 'b', 'b', 'c'], { missing: [], unexpected: [], duplicated: ['b'] }],
    [['A', 'b', 'c'], { missing: ['a'], unexpected: ['A'], duplicated: [] }],
  ])('%j', (actual, expected) => {
    expect(compareHeader(actual, target)).toEqual(expected);
  });

  it('describes the difference for the task record', () => {
    expect(describeDifference({ missing: ['x', 'y'], unexpected: ['z'], duplicated: [] })).toBe(
      'missing: x, y; unexpected: z',
    );
  });
});
