import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createPgPool, migratePostgres } from '@pharma/shared/db';
import { loadConfig } from './config.js';
import { hashPassword } from './crypto/password-hash.js';
import { createAuthDb } from './db/client.js';
import { ROLES, type Role } from './db/schema.js';
import { createAuthRepository } from './repositories/auth.repository.js';
import { createApiToken } from './services/api-token.service.js';

const USAGE = `usage:
  node services/auth/dist/cli.js create-staff --email <e-mail> --role ops|admin [--password-stdin]
  node services/auth/dist/cli.js list-staff
  node services/auth/dist/cli.js create-token --name <label> --role pharmacy|ops|admin --owner <e-mail>
                                              [--pharmacy <e-mail>] [--expires-days <n>]
Reads DATABASE_URL like the service and applies its migrations first. With npm start, use npm run staff.`;

const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function promptPassword(): Promise<string> {
  if (!process.stdin.isTTY) return readStdin();
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  // Hide what is typed: the readline echo goes to stderr and is muted here.
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
  process.stderr.write('password: ');
  const answer = await rl.question('');
  rl.close();
  process.stderr.write('\n');
  return answer;
}

function parseRole(value: string | undefined): Role {
  if (!value || !(ROLES as readonly string[]).includes(value))
    throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  return value as Role;
}

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: {
      email: { type: 'string' },
      role: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      name: { type: 'string' },
      owner: { type: 'string' },
      pharmacy: { type: 'string' },
      'expires-days': { type: 'string' },
    },
  });
  const config = loadConfig(process.env);
  const pool = createPgPool(config.postgres.url, 1);
  try {
    await migratePostgres(pool, MIGRATIONS_FOLDER, 'auth');
    const repository = createAuthRepository(createAuthDb(pool));
    if (command === 'create-staff') {
      if (!values.email) throw new Error('--email is required');
      const role = parseRole(values.role);
      const password = values['password-stdin'] ? await readStdin() : await promptPassword();
      if (password.length < 10) throw new Error('the password needs at least 10 characters');
      const row = await repository.upsertStaff(values.email.trim().toLowerCase(), await hashPassword(password), role);
      console.log(JSON.stringify({ id: row.id, email: row.email, role: row.role }));
      return 0;
    }
    if (command === 'list-staff') {
      for (const row of await repository.listStaff()) {
        const { id, email, role, createdAt, disabledAt } = row;
        console.log(JSON.stringify({ id, email, role, createdAt, disabled: disabledAt !== null }));
      }
      return 0;
    }
    if (command === 'create-token') {
      if (!values.name || !values.owner) throw new Error('--name and --owner are required');
      const role = parseRole(values.role);
      if (role === 'pharmacy' && !values.pharmacy) throw new Error('a pharmacy token needs --pharmacy');
      const days = values['expires-days'] === undefined ? undefined : Number(values['expires-days']);
      if (days !== undefined && !(days > 0)) throw new Error('--expires-days must be a positive number');
      const created = await createApiToken(repository, {
        name: values.name,
        role,
        owner: values.owner,
        pharmacyId: values.pharmacy,
        expiresAt: days === undefined ? undefined : new Date(Date.now() + days * 86_400_000),
      });
      console.log(JSON.stringify(created));
      return 0;
    }
    console.error(USAGE);
    return 2;
  } finally {
    await pool.end();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`error: ${error.message}`);
    process.exit(1);
  },
);
