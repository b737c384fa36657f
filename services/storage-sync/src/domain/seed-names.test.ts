import { describe, expect, it } from 'vitest';
import { seedNames } from './seed-names.js';

describe('seed names', () => {
  it('keeps unique names as they are', () => {
    const names = seedNames([
      { clientKey: '1', name: 'Amine Tazi' },
      { clientKey: '2', name: 'Sara Alami' },
    ]);
    expect(Object.fromEntries(names)).toEqual({ '1': 'Amine Tazi', '2': 'Sara Alami' });
  });

  it('appends the client key to every customer sharing a name', () => {
    const names = seedNames([
      { clientKey: '2284309', name: 'Amine Tazi' },
      { clientKey: '2284310', name: 'Amine Tazi' },
      { clientKey: '3', name: 'Sara Alami' },
    ]);
    expect(Object.fromEntries(names)).toEqual({
      '2284309': 'Amine Tazi (2284309)',
      '2284310': 'Amine Tazi (2284310)',
      '3': 'Sara Alami',
    });
  });

  it('trims names, so a trailing space does not make a second customer', () => {
    const names = seedNames([
      { clientKey: '1', name: 'Amine Tazi ' },
      { clientKey: '2', name: 'Amine Tazi' },
    ]);
    expect([...names.values()].sort()).toEqual(['Amine Tazi (1)', 'Amine Tazi (2)']);
  });

  it('stays unique when a real name looks like a suffixed one', () => {
    const names = seedNames([
      { clientKey: '2', name: 'Amine Tazi (1)' },
      { clientKey: '1', name: 'Amine Tazi' },
      { clientKey: '3', name: 'Amine Tazi' },
    ]);
    expect(new Set(names.values()).size).toBe(3);
    expect(names.get('1')).toBe('Amine Tazi (1)');
    expect(names.get('2')).toBe('Amine Tazi (1) (2)');
  });
});
