import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The PostgreSQL the launcher runs when no `DATABASE_URL` is given: its account, database and folder, in one
 * place for the server script, the launcher and `npm run staff`.
 */
export const EMBEDDED_POSTGRES = { user: 'postgres', password: 'postgres', database: 'pharma' } as const;

/** `PLATFORM_DATA_DIR` when unset. */
export const DEFAULT_DATA_DIR = '.data';

export const embeddedPostgresDir = (dataDir: string) => join(dataDir, 'postgres');

export function embeddedDatabaseUrl(port: number): string {
  const { user, password, database } = EMBEDDED_POSTGRES;
  return `postgres://${user}:${password}@127.0.0.1:${port}/${database}`;
}

/**
 * The port of the embedded PostgreSQL running on that data folder, read from the server's own
 * `postmaster.pid` (its fourth line), since the launcher moves to a free port when 5433 is taken.
 * Undefined when no server has the folder open (the file exists only while one runs).
 */
export function runningEmbeddedPort(dataDir: string): number | undefined {
  let pidFile: string;
  try {
    pidFile = readFileSync(join(embeddedPostgresDir(dataDir), 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  const port = Number(pidFile.split('\n')[3]);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}
