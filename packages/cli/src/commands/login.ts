import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { EXIT, usageError } from '../errors.js';
import { GatewayClient } from '../gateway-client.js';
import type { Output } from '../output.js';
import { clearSession, saveSession } from '../session-store.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Asks on the terminal; the password is not echoed. */
async function prompt(question: string, hidden: boolean): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  try {
    return await new Promise<string>((resolve) => {
      rl.question(question, resolve);
      muted = hidden;
    });
  } finally {
    rl.close();
    if (hidden) process.stderr.write('\n');
  }
}

export async function login(
  url: string,
  out: Output,
  options: { email?: string; passwordStdin?: boolean },
): Promise<number> {
  const email = options.email ?? (process.stdin.isTTY ? await prompt('E-mail: ', false) : undefined);
  if (!email) throw usageError('Give --email (and --password-stdin) when not on a terminal');
  let password: string;
  if (options.passwordStdin) password = await readStdin();
  else if (process.stdin.isTTY) password = await prompt('Password: ', true);
  else throw usageError('Use --password-stdin to pass the password without a terminal');
  const session = await new GatewayClient(url).json<{
    token: string;
    expiresAt: string;
    principal: { owner: string; kind: string; role: string };
  }>('/api/auth/login', { method: 'POST', body: { email, password } });
  const file = await saveSession({
    url,
    token: session.token,
    owner: session.principal.owner,
    expiresAt: session.expiresAt,
  });
  out.result(
    {
      owner: session.principal.owner,
      kind: session.principal.kind,
      role: session.principal.role,
      expiresAt: session.expiresAt,
    },
    `Logged in as ${session.principal.owner} (${session.principal.role}); session saved in ${file}`,
  );
  return EXIT.ok;
}

export async function logout(client: GatewayClient, out: Output): Promise<number> {
  await client.json('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
  await clearSession();
  out.result({ loggedOut: true }, 'Logged out');
  return EXIT.ok;
}
