import { describe, expect, it } from 'vitest';
import { createRandom } from './prng.js';

describe('createRandom', () => {
  it('gives the same sequence for the same parts and another for other parts', () => {
    const draw = (...parts: string[]) => {
      const random = createRandom(...parts);
      return Array.from({ length: 20 }, () => random.int(0, 1_000_000));
    };
    expect(draw('seed', 'a')).toEqual(draw('seed', 'a'));
    expect(draw('seed', 'a')).not.toEqual(draw('seed', 'b'));
    expect(draw('seed', 'a')).not.toEqual(draw('other', 'a'));
  });

  it('stays within bounds', () => {
    const random = createRandom('bounds');
    for (let i = 0; i < 1000; i++) {
      const value = random.int(3, 7);
      expect(value).toBeGreaterThanOrEqual(3);
      expect(value).toBeLessThanOrEqual(7);
      expect(random.next()).toBeLessThan(1);
    }
  });
});
