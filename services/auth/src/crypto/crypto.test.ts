import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateDevKey, parseEncryptionKey } from './encryption-key.js';
import { hashPassword, verifyPassword } from './password-hash.js';
import { SecretBox } from './secret-box.js';
import { hashToken, newToken } from './tokens.js';

describe('SecretBox (AES-256-GCM)', () => {
  it('opens what it sealed, only with the same associated data and key', () => {
    const box = SecretBox.random();
    const sealed = box.seal('cookie-value-123', 'pharmacy@a.ma');
    expect(sealed).not.toContain('cookie-value-123');
    expect(box.openText(sealed, 'pharmacy@a.ma')).toBe('cookie-value-123');
    expect(() => box.open(sealed, 'other@a.ma')).toThrow();
    expect(() => SecretBox.random().open(sealed, 'pharmacy@a.ma')).toThrow();
  });

  it('rejects a tampered ciphertext', () => {
    const box = SecretBox.random();
    const parts = box.seal('secret').split('.');
    parts[3] = Buffer.from('other').toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow();
  });

  it('seals the same text differently every time', () => {
    const box = SecretBox.random();
    expect(box.seal('x')).not.toBe(box.seal('x'));
  });
});

describe('encryption keys', () => {
  it.each([
    ['a'.repeat(64), true],
    [Buffer.alloc(32, 7).toString('base64'), true],
    [Buffer.alloc(32, 7).toString('base64url'), true],
    ['a'.repeat(63), false],
    [Buffer.alloc(16).toString('base64'), false],
    ['not a key', false],
  ])('%s parses: %s', (text, ok) => {
    expect(parseEncryptionKey(text)?.length === 32).toBe(ok);
  });

  it('creates a development key file with mode 0600 and reads it back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'key-'));
    try {
      const first = await loadOrCreateDevKey(dir);
      const second = await loadOrCreateDevKey(dir);
      expect(first.created).toBe(true);
      expect(second.created).toBe(false);
      expect(second.key.equals(first.key)).toBe(true);
      expect((await stat(first.path)).mode & 0o777).toBe(0o600);
      expect(parseEncryptionKey(await readFile(first.path, 'utf8'))?.equals(first.key)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('passwords and tokens', () => {
  it('verifies a scrypt hash and refuses another password', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash.startsWith('scrypt$')).toBe(true);
    expect(hash).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });

  it('makes unique tokens and hashes them to hex', () => {
    const a = newToken('pst_');
    expect(a.startsWith('pst_')).toBe(true);
    expect(a).not.toBe(newToken('pst_'));
    expect(hashToken(a)).toMatch(/^[0-9a-f]{64}$/);
  });
});
