import { createHash, randomBytes } from 'node:crypto';

export const SESSION_TOKEN_PREFIX = 'pst_';
export const API_TOKEN_PREFIX = 'pat_';

/** 256 random bits; only their SHA-256 is stored, so a database dump yields no usable token. */
export function newToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
