import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePortBelowEphemeralRange } from '@pharma/launcher/ports';
import { createTestDatabase, type TestDatabase } from '@pharma/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedServer, startPostgres } from '../../src/infra.js';

const STAFF = fileURLToPath(new URL('../../dist/staff.js', import.meta.url));
const PASSWORD = 'staff-password-42';

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run staff -- …` as the launcher's script, with the caller's DATABASE_URL removed unless given. */
function staff(args: string[], env: Record<string, string>, stdin = ''): Promise<Ran> {
  const { DATABASE_URL: _callers, ...base } = process.env;
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [STAFF, ...args], { env: { ...base, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin);
  });
}

async function staffEmails(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ email: string }>('SELECT email FROM auth.staff_accounts ORDER BY email');
    return rows.map((row) => row.email);
  } finally {
    await client.end();
  }
}

describe('npm run staff: staff accounts in the database npm start uses', () => {
  let dataDir: string;
  let postgres: EmbeddedServer | undefined;
  let db: TestDatabase;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'staff-'));
    // As root the embedded PostgreSQL runs as the `postgres` user, who must reach its data folder.
    await chmod(dataDir, 0o755);
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await postgres?.stop();
    await db?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("says to run npm start when the platform's database is not running", async () => {
    const ran = await staff(['list'], { PLATFORM_DATA_DIR: dataDir });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain("the platform's database is not running");
    expect(ran.stderr).toContain('`npm start`');
  });

  it('creates and lists accounts in the embedded PostgreSQL, on whatever port it runs', async () => {
    // Not the launcher's preferred 5433 nor the usual 5432: the command must find the port the server runs on.
    postgres = await startPostgres(dataDir, await freePortBelowEphemeralRange([5432, 5433]), { output: false });
    const created = await staff(
      ['create', '--email', 'Ops@Example.com', '--role', 'ops', '--password-stdin'],
      { PLATFORM_DATA_DIR: dataDir },
      `${PASSWORD}\n`,
    );
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ email: 'ops@example.com', role: 'ops' });
    expect(await staffEmails(postgres.url)).toEqual(['ops@example.com']);

    const listed = await staff(['list'], { PLATFORM_DATA_DIR: dataDir });
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject({ email: 'ops@example.com', role: 'ops', disabled: false });
    expect(`${created.stdout}${created.stderr}${listed.stdout}`).not.toContain(PASSWORD);
  });

  it('uses DATABASE_URL when set, as npm start does', async () => {
    const created = await staff(
      ['create', '--email', 'admin@example.com', '--role', 'admin', '--password-stdin'],
      { PLATFORM_DATA_DIR: dataDir, DATABASE_URL: db.url },
      PASSWORD,
    );
    expect(created.code, created.stderr).toBe(0);
    expect(await staffEmails(db.url)).toEqual(['admin@example.com']);
    expect(await staffEmails(postgres?.url ?? '')).toEqual(['ops@example.com']);
  });

  it('answers an unknown command with the usage', async () => {
    const ran = await staff(['remove'], { PLATFORM_DATA_DIR: dataDir });
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain('usage: npm run staff -- <command>');
  });
});
