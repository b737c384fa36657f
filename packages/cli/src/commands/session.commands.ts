import type { Command } from '../command.js';
import { EXIT } from '../errors.js';
import { login, logout } from './login.js';

export const sessionCommands: Command[] = [
  {
    name: 'login',
    usage: '[--email E] [--password-stdin]',
    summary: 'open a session (the token is saved, never the password)',
    help: 'Prompts on a terminal (the password is not echoed); else give --email and pipe the password with --password-stdin.',
    run: ({ url, out, options }) => login(url, out, { email: options.email, passwordStdin: options['password-stdin'] }),
  },
  { name: 'logout', summary: 'end the session', run: ({ client, out }) => logout(client, out) },
  {
    name: 'whoami',
    summary: 'who the saved session belongs to',
    run: async ({ client, out }) => {
      const me = await client.json<{ owner: string; role: string }>('/api/me');
      out.result(me, `${me.owner} (${me.role})`);
      return EXIT.ok;
    },
  },
];
