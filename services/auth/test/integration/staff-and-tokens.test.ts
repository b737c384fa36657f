import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { authLoginRpc, authLogoutRpc, authSobrusSessionRpc, authVerifyRpc } from '@pharma/shared/contracts';
import { requestRpc } from '@pharma/shared/messaging';
import { captureLogs, createTestDatabase, createTestNats, type TestDatabase, type TestNats } from '@pharma/testkit';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

function cli(args: string[], env: Record<string, string>, stdin?: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } }, (error, stdout) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout }),
    );
    child.stdin?.end(stdin ?? '');
  });
}

describe('staff accounts, API tokens and sessions over NATS', () => {
  let db: TestDatabase;
  let nats: TestNats;
  let app: FastifyInstance;
  let dataDir: string;
  const logs = captureLogs('auth');
  const password = 'staff-password-42';

  beforeAll(async () => {
    [db, nats, dataDir] = await Promise.all([createTestDatabase(), createTestNats(), mkdtemp(join(tmpdir(), 'auth-'))]);
    app = await buildApp(
      loadConfig({ DATABASE_URL: db.url, NATS_URL: nats.url, NATS_PREFIX: nats.prefix, AUTH_DATA_DIR: dataDir }),
      logs.logger,
    );
  });
  afterAll(async () => {
    await app?.close();
    await nats?.cleanup();
    await db?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('creates a staff account with the CLI and logs it in with its local password', async () => {
    const created = await cli(
      ['create-staff', '--email', 'Ops@Platform.test', '--role', 'ops', '--password-stdin'],
      { DATABASE_URL: db.url },
      `${password}\n`,
    );
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ email: 'ops@platform.test', role: 'ops' });
    const listed = await cli(['list-staff'], { DATABASE_URL: db.url });
    expect(listed.code).toBe(0);
    const accounts = listed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(accounts).toEqual([expect.objectContaining({ email: 'ops@platform.test', role: 'ops', disabled: false })]);
    expect(listed.stdout).not.toMatch(/scrypt|passwordHash/);

    const session = await requestRpc(nats.ctx, authLoginRpc, { email: 'ops@platform.test', password });
    expect(session.principal).toMatchObject({ kind: 'staff', role: 'ops', owner: 'ops@platform.test' });
    expect(session.principal.pharmacyId).toBeUndefined();
    const verified = await requestRpc(nats.ctx, authVerifyRpc, { token: session.token });
    expect(verified.principal.email).toBe('ops@platform.test');

    await expect(requestRpc(nats.ctx, authLogoutRpc, { token: session.token })).resolves.toEqual({ loggedOut: true });
    await expect(requestRpc(nats.ctx, authVerifyRpc, { token: session.token })).rejects.toMatchObject({
      code: 'SESSION_INVALID',
      statusCode: 401,
    });
    expect(logs.text()).not.toContain(password);
  });

  it('refuses a wrong staff password and an unknown token', async () => {
    await expect(
      requestRpc(nats.ctx, authLoginRpc, { email: 'ops@platform.test', password: 'nope', kind: 'staff' }),
    ).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    await expect(requestRpc(nats.ctx, authVerifyRpc, { token: 'pst_unknown' })).rejects.toMatchObject({
      statusCode: 401,
    });
  });

  it('creates API tokens with the CLI; only their hash is stored', async () => {
    const made = await cli(
      [
        'create-token',
        '--name',
        'nightly',
        '--role',
        'pharmacy',
        '--owner',
        'ops@platform.test',
        '--pharmacy',
        'P@x.ma',
      ],
      { DATABASE_URL: db.url },
    );
    expect(made.code).toBe(0);
    const { token } = JSON.parse(made.stdout) as { token: string };
    expect(token.startsWith('pat_')).toBe(true);
    const verified = await requestRpc(nats.ctx, authVerifyRpc, { token });
    expect(verified.principal).toMatchObject({ kind: 'pharmacy', role: 'pharmacy', pharmacyId: 'p@x.ma' });
    const rows = await app.pg.query('SELECT token_hash FROM auth.api_tokens');
    expect(JSON.stringify(rows.rows)).not.toContain(token);
    expect(
      (await cli(['create-token', '--name', 'x', '--role', 'root', '--owner', 'a@b'], { DATABASE_URL: db.url })).code,
    ).toBe(1);
  });

  it('asks a pharmacy that never logged in to log in', async () => {
    await expect(requestRpc(nats.ctx, authSobrusSessionRpc, { pharmacyId: 'never@x.ma' })).rejects.toMatchObject({
      code: 'SOBRUS_RELOGIN_REQUIRED',
    });
  });
});
