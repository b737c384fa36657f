import { describe, expect, it } from 'vitest';
import { isSafeSegment, scriptKindOf } from './script-name.js';

describe('script names', () => {
  it.each([
    ['Аптека 36,6', true],
    ['Ригла', true],
    ['..', false],
    ['.', false],
    ['a/b', false],
    ['a\\b', false],
    ['a\0b', false],
    ['', false],
    [null, false],
  ])('%j is a single folder name: %s', (name, safe) => {
    expect(isSafeSegment(name)).toBe(safe);
  });

  it.each([
    ['convert.ts', 'module'],
    ['convert.mjs', 'module'],
    ['convert.py', 'python'],
    ['convert', 'executable'],
    ['convert.sh', 'executable'],
  ])('%s runs as %s', (name, kind) => {
    expect(scriptKindOf(name)).toBe(kind);
  });
});
