import type { parseArgs } from 'node:util';
import type { GatewayClient } from './gateway-client.js';
import type { Output } from './output.js';

/** Every option of every command: one set, so a script may put them in any order. */
export const OPTIONS = {
  url: { type: 'string' },
  json: { type: 'boolean', default: false },
  'no-wait': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'V', default: false },
  email: { type: 'string' },
  'password-stdin': { type: 'boolean', default: false },
  from: { type: 'string' },
  to: { type: 'string' },
  'as-of': { type: 'string' },
  client: { type: 'string', multiple: true },
  search: { type: 'string' },
  limit: { type: 'string' },
  offset: { type: 'string' },
  all: { type: 'boolean', default: false },
  out: { type: 'string', short: 'o' },
  sep: { type: 'string', default: ';' },
  lines: { type: 'boolean', default: false },
  products: { type: 'string' },
  stores: { type: 'string' },
  sales: { type: 'string' },
  status: { type: 'string', multiple: true },
  kind: { type: 'string' },
  month: { type: 'string' },
  provider: { type: 'string' },
  'client-name': { type: 'string' },
  'report-type': { type: 'string' },
  body: { type: 'string' },
  preview: { type: 'boolean', default: false },
} as const satisfies NonNullable<Parameters<typeof parseArgs>[0]>['options'];

export type CliOptions = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

export interface CommandContext {
  url: string;
  client: GatewayClient;
  out: Output;
  options: CliOptions;
  /** Positionals after the command's own words. */
  args: string[];
  wait: boolean;
}

export interface Command {
  /** Its words, e.g. `statements refresh`. */
  name: string;
  /** What follows the name in the usage line. */
  usage?: string;
  summary: string;
  /** More lines for `pharma <command> --help`. */
  help?: string;
  run(context: CommandContext): Promise<number>;
}

/** The command named by the longest run of leading positionals, with the positionals left over. */
export function findCommand(
  commands: readonly Command[],
  positionals: readonly string[],
): { command: Command; args: string[] } | undefined {
  let found: { command: Command; args: string[] } | undefined;
  for (const command of commands) {
    const words = command.name.split(' ');
    if (
      words.every((word, i) => positionals[i] === word) &&
      words.length > (found?.command.name.split(' ').length ?? 0)
    )
      found = { command, args: positionals.slice(words.length) };
  }
  return found;
}
