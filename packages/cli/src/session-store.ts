import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface StoredSession {
  url: string;
  token: string;
  owner: string;
  expiresAt: string;
}

/** `$PHARMA_CONFIG_DIR`, else `$XDG_CONFIG_HOME/pharma`, else `~/.config/pharma`. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PHARMA_CONFIG_DIR) return env.PHARMA_CONFIG_DIR;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'pharma');
}

const sessionFile = (env?: NodeJS.ProcessEnv) => join(configDir(env), 'session.json');

/** Only the token is kept (never the password), in a file only the user can read. */
export async function saveSession(session: StoredSession, env?: NodeJS.ProcessEnv): Promise<string> {
  const file = sessionFile(env);
  await mkdir(configDir(env), { recursive: true, mode: 0o700 });
  await writeFile(file, `${JSON.stringify(session, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return file;
}

export async function loadSession(env?: NodeJS.ProcessEnv): Promise<StoredSession | undefined> {
  try {
    return JSON.parse(await readFile(sessionFile(env), 'utf8')) as StoredSession;
  } catch {
    return undefined;
  }
}

export async function clearSession(env?: NodeJS.ProcessEnv): Promise<void> {
  await rm(sessionFile(env), { force: true });
}
