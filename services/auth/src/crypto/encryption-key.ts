import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A 32-byte key written as 64 hex characters or as base64 (with or without padding). */
export function parseEncryptionKey(text: string): Buffer | undefined {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
    const key = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    return key.length === 32 ? key : undefined;
  }
  return undefined;
}

export const DEV_KEY_FILE = 'encryption.key';

/**
 * Development fallback when no key is configured: a random key kept in the data folder with mode 0600, so a
 * restart can still open the stored cookies. Production sets AUTH_ENCRYPTION_KEY instead.
 */
export async function loadOrCreateDevKey(dataDir: string): Promise<{ key: Buffer; created: boolean; path: string }> {
  const path = join(dataDir, DEV_KEY_FILE);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  try {
    const key = parseEncryptionKey(await readFile(path, 'utf8'));
    if (!key) throw new Error(`${path} does not hold a 32-byte hex key`);
    return { key, created: false, path };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32);
  await writeFile(path, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(path, 0o600);
  return { key, created: true, path };
}
