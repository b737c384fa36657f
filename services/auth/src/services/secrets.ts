import type { Log } from '@pharma/shared/logger';
import { loadOrCreateDevKey } from '../crypto/encryption-key.js';
import { SecretBox } from '../crypto/secret-box.js';

/** The box sealing stored cookies: the configured key, or a development key file in the data folder. */
export async function openCookieBox(key: Buffer | undefined, dataDir: string, logger: Log): Promise<SecretBox> {
  if (key) return new SecretBox(key);
  const dev = await loadOrCreateDevKey(dataDir);
  logger.warn(
    { keyFile: dev.path, created: dev.created },
    'AUTH_ENCRYPTION_KEY is not set: using a development key file (set the variable in production)',
  );
  return new SecretBox(dev.key);
}
