import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface QuickStart {
  /** The install command, e.g. `npm ci`, as argv. */
  install: string[];
  /** The command that runs the platform until Ctrl-C, e.g. `npm start`, as argv. */
  start: string[];
  /** The test command, e.g. `npm test`. */
  test: string[];
}

const argv = (command: string) => command.trim().split(/\s+/);

/**
 * The commands of the README's "Quick start" block: its first line is `<install> && <start>`, its second the
 * test command. Anything else is an error, so a README that changes shape fails the quick-start test.
 */
export function readQuickStart(repo: string): QuickStart {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((part) => part.startsWith('Quick start\n'));
  if (!section) throw new Error('README.md has no "## Quick start" section');
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('the Quick start section of README.md has no ```sh block');
  const lines = block
    .split('\n')
    .map((line) => line.replace(/\s#.*$/, '').trim())
    .filter(Boolean);
  const [first, second] = lines;
  const parts = first?.split('&&') ?? [];
  if (lines.length !== 2 || parts.length !== 2 || !second) {
    throw new Error(`the Quick start block is not "<install> && <start>" then "<test>":\n${block}`);
  }
  return { install: argv(parts[0] ?? ''), start: argv(parts[1] ?? ''), test: argv(second) };
}

/** Whether the README documents an environment variable (by name or by its `<SERVICE>_PORT` pattern). */
export function readmeDocuments(repo: string, variable: string): boolean {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  if (readme.includes(`\`${variable}\``)) return true;
  return /_PORT$/.test(variable) && readme.includes('`<SERVICE>_PORT`');
}

/**
 * The README's command that creates a staff account (`npm run staff -- create … --password-stdin`, in the
 * "Using it" list), as argv; an error when the README shows none, so the bootstrap cannot vanish from it.
 */
export function readStaffCommand(repo: string): string[] {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const command = /`(npm run staff -- create [^`]*--password-stdin[^`]*)`/.exec(readme)?.[1];
  if (!command) throw new Error('README.md shows no `npm run staff -- create … --password-stdin` command');
  return argv(command);
}
