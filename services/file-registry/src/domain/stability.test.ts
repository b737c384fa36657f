import { describe, expect, it } from 'vitest';
import { isSettled, isUnchanged, recheckDelayMs } from './stability.js';

describe('stability', () => {
  const now = 1_000_000;

  it('counts a file untouched for the window as settled, a younger one not', () => {
    expect(isSettled({ size: 1, mtimeMs: now - 2_000 }, now, 2_000)).toBe(true);
    expect(isSettled({ size: 1, mtimeMs: now - 1_999 }, now, 2_000)).toBe(false);
    expect(isSettled({ size: 1, mtimeMs: now + 5_000 }, now, 2_000)).toBe(false);
  });

  it('compares size and mtime', () => {
    expect(isUnchanged({ size: 1, mtimeMs: 5 }, { size: 1, mtimeMs: 5 })).toBe(true);
    expect(isUnchanged({ size: 1, mtimeMs: 5 }, { size: 2, mtimeMs: 5 })).toBe(false);
    expect(isUnchanged({ size: 1, mtimeMs: 5 }, { size: 1, mtimeMs: 6 })).toBe(false);
  });

  it('waits until the youngest file has had a full window, never longer than the window', () => {
    expect(recheckDelayMs([], now, 2_000)).toBe(0);
    expect(recheckDelayMs([{ size: 1, mtimeMs: now - 500 }], now, 2_000)).toBe(1_500);
    expect(
      recheckDelayMs(
        [
          { size: 1, mtimeMs: now - 1_500 },
          { size: 1, mtimeMs: now - 100 },
        ],
        now,
        2_000,
      ),
    ).toBe(1_900);
    expect(recheckDelayMs([{ size: 1, mtimeMs: now + 60_000 }], now, 2_000)).toBe(2_000);
  });
});
