import { REASONS } from './reasons.js';

const TRANSIENT = new Set(['EBUSY', 'EAGAIN', 'EMFILE', 'ENFILE', 'ETIMEDOUT', 'EINTR', 'ETXTBSY', 'EPERM', 'EACCES']);

/** Errors worth another attempt after a pause (a file held by another program, a full descriptor table). */
export const isTransientMoveError = (code: string | undefined) => code !== undefined && TRANSIENT.has(code);

/** The registry reason of a move that failed for good. */
export function moveFailureReason(code: string | undefined): string {
  switch (code) {
    case 'EBUSY':
    case 'EPERM':
    case 'EACCES':
    case 'ETXTBSY':
    case 'EAGAIN':
      return REASONS.LOCKED;
    case 'ENOSPC':
    case 'EDQUOT':
      return REASONS.NO_SPACE;
    case 'ENAMETOOLONG':
      return REASONS.PATH_TOO_LONG;
    default:
      return REASONS.MOVE_FAILED;
  }
}
