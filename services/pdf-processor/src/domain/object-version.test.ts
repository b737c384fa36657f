import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { digestHex, replacedSinceAnnounced } from './object-version.js';

describe('object versions', () => {
  it('reads the object store digest as the hex sha256 the events carry', () => {
    const data = Buffer.from('%PDF-1.7 statement');
    const hex = createHash('sha256').update(data).digest('hex');
    // As the object store writes it: base64url with its padding.
    const digest = `SHA-256=${createHash('sha256').update(data).digest('base64url')}=`;
    expect(digestHex(digest)).toBe(hex);
    expect(digestHex(`SHA-256=${createHash('sha256').update(data).digest('base64url')}`)).toBe(hex);
    expect(digestHex('MD5=abc')).toBeUndefined();
  });

  it.each([
    ['put after the event went out (a retried download)', '2026-12-04T12:00:05.000Z', true],
    ['put before its own event', '2026-12-04T11:59:59.000Z', false],
    ['the same millisecond', '2026-12-04T12:00:00.000Z', false],
  ])('a version %s is a replacement: %s', (_case, mtime, expected) => {
    expect(replacedSinceAnnounced({ mtime }, { downloadedAt: '2026-12-04T12:00:00.000Z' })).toBe(expected);
  });
});
