import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Logger } from '@pharma/shared/logger';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../../services/auth/src/app.js';
import { loadConfig } from '../../../../services/auth/src/config.js';

const AUTH_CLI = resolve(import.meta.dirname, '../../../../services/auth/dist/cli.js');

export interface StaffAccount {
  email: string;
  password: string;
  role: 'ops' | 'admin';
}

export interface AuthServiceOptions {
  natsUrl: string;
  prefix: string;
  databaseUrl: string;
  sobrusAppUrl: string;
  logger: Logger;
  staff: StaffAccount[];
}

function createStaff(databaseUrl: string, account: StaffAccount): Promise<void> {
  return new Promise((done, fail) => {
    const child = execFile(
      process.execPath,
      [AUTH_CLI, 'create-staff', '--email', account.email, '--role', account.role, '--password-stdin'],
      { env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' } },
      (error, _stdout, stderr) => (error ? fail(new Error(`create-staff failed: ${stderr}`)) : done()),
    );
    child.stdin?.end(account.password);
  });
}

/** The real auth service: staff accounts made with its own CLI, pharmacies logged in to the Sobrus simulator. */
export async function startAuthService(
  options: AuthServiceOptions,
): Promise<{ app: FastifyInstance; close(): Promise<void> }> {
  for (const account of options.staff) await createStaff(options.databaseUrl, account);
  const dataDir = mkdtempSync(join(tmpdir(), 'auth-data-'));
  const app = await buildApp(
    loadConfig({
      NATS_URL: options.natsUrl,
      NATS_PREFIX: options.prefix,
      DATABASE_URL: options.databaseUrl,
      AUTH_DATA_DIR: dataDir,
      SOBRUS_APP_URL: options.sobrusAppUrl,
      CHROMIUM_PATH: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    }),
    options.logger,
  );
  await app.ready();
  return {
    app,
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
