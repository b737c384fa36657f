import { describe, expect, it } from 'vitest';
import { isTransientMoveError, moveFailureReason } from './move-errors.js';

describe('move errors', () => {
  it.each([
    ['EBUSY', 'LOCKED', true],
    ['EACCES', 'LOCKED', true],
    ['ENOSPC', 'NO_SPACE', false],
    ['EDQUOT', 'NO_SPACE', false],
    ['ENAMETOOLONG', 'PATH_TOO_LONG', false],
    ['EIO', 'MOVE_FAILED', false],
    [undefined, 'MOVE_FAILED', false],
  ])('%s → %s (retried: %s)', (code, reason, transient) => {
    expect(moveFailureReason(code)).toBe(reason);
    expect(isTransientMoveError(code)).toBe(transient);
  });
});
