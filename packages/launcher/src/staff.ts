#!/usr/bin/env node
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { parseEnv, Type } from '@pharma/shared/config';
import pg from 'pg';
import { DEFAULT_DATA_DIR, embeddedDatabaseUrl, runningEmbeddedPort } from './embedded-database.js';
import { repoPath } from './infra.js';

// `npm run staff -- <command>`: the auth service's account CLI against the database `npm start` uses — the
// DATABASE_URL it was given, else its embedded PostgreSQL, found through the data folder it runs on.
const StaffEnv = Type.Object({
  DATABASE_URL: Type.Optional(Type.String()),
  PLATFORM_DATA_DIR: Type.String({ default: DEFAULT_DATA_DIR }),
});

/** Our command names → the auth CLI's. */
const COMMANDS: Record<string, string> = { create: 'create-staff', list: 'list-staff', token: 'create-token' };

const USAGE = `usage: npm run staff -- <command> [options]
  create --email <e-mail> --role ops|admin [--password-stdin]   create a staff account, or reset its password
                                                                (prompts without echo unless --password-stdin)
  list                                                          list the staff accounts
  token --name <label> --role pharmacy|ops|admin --owner <e-mail> [--pharmacy <e-mail>] [--expires-days <n>]
                                                                create an API token, printed once
Runs against the platform's database: DATABASE_URL when set (as for npm start), else the PostgreSQL that
npm start runs with its data in PLATFORM_DATA_DIR (default .data), which must be running.`;

function notRunning(dataDir: string, cause?: string): Error {
  return new Error(
    `the platform's database is not running${cause ? ` (${cause})` : ''}: start the platform with \`npm start\` ` +
      `(in another terminal, with the same PLATFORM_DATA_DIR, data in ${dataDir}) and run this again, ` +
      'or set DATABASE_URL to the PostgreSQL the platform uses.',
  );
}

/** The URL of the platform's database, once it answers. */
async function platformDatabaseUrl(env: NodeJS.ProcessEnv): Promise<string> {
  const config = parseEnv(StaffEnv, env);
  const dataDir = resolve(config.PLATFORM_DATA_DIR);
  const port = config.DATABASE_URL ? undefined : runningEmbeddedPort(dataDir);
  if (!config.DATABASE_URL && port === undefined) throw notRunning(dataDir);
  const url = config.DATABASE_URL ?? embeddedDatabaseUrl(port ?? 0);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (config.DATABASE_URL) throw new Error(`cannot reach DATABASE_URL: ${message}`);
    throw notRunning(dataDir, message);
  } finally {
    await client.end().catch(() => {});
  }
  return url;
}

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  const authCommand = command ? COMMANDS[command] : undefined;
  if (!authCommand) {
    process.stderr.write(`${USAGE}\n`);
    return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
  const url = await platformDatabaseUrl(process.env);
  const child = spawn(process.execPath, [repoPath('services/auth/dist/cli.js'), authCommand, ...rest], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: 'inherit',
  });
  return new Promise((done, fail) => {
    child.once('error', fail);
    child.once('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
