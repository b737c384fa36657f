#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type Command, findCommand, OPTIONS } from './command.js';
import { exportCommands } from './commands/export.commands.js';
import { intakeCommands } from './commands/intake.commands.js';
import { jobsCommands } from './commands/jobs.commands.js';
import { pharmacyCommands } from './commands/pharmacy.commands.js';
import { sessionCommands } from './commands/session.commands.js';
import { staffCommands } from './commands/staff.commands.js';
import { CliError, EXIT, errorDocument, usageError } from './errors.js';
import { GatewayClient } from './gateway-client.js';
import { createOutput } from './output.js';
import { loadSession } from './session-store.js';
import { commandHelp, usage } from './usage.js';

const COMMANDS: Command[] = [
  ...sessionCommands,
  ...pharmacyCommands,
  ...exportCommands,
  ...jobsCommands,
  ...staffCommands,
  ...intakeCommands,
];

const version = () =>
  (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  const out = createOutput(values.json);
  if (values.version) {
    out.result({ version: version() }, `pharma ${version()}`);
    return EXIT.ok;
  }
  // `pharma help statements refresh` is `pharma statements refresh --help`.
  const asksHelp = values.help || positionals[0] === 'help';
  const words = positionals[0] === 'help' ? positionals.slice(1) : positionals;
  const found = findCommand(COMMANDS, words);
  if (asksHelp || words.length === 0) {
    process.stdout.write(`${found ? commandHelp(found.command) : usage(COMMANDS)}\n`);
    return asksHelp ? EXIT.ok : EXIT.usage;
  }
  if (!found) throw usageError(`Unknown command: ${positionals.join(' ')} (\`pharma --help\` lists the commands)`);
  const session = await loadSession();
  const url = values.url ?? process.env.PHARMA_URL ?? session?.url ?? 'http://127.0.0.1:8080';
  return found.command.run({
    url,
    client: new GatewayClient(url, session?.token),
    out,
    options: values,
    args: found.args,
    wait: !values['no-wait'],
  });
}

/** Every failure ends here: `pharma: message` on stderr, or with --json one `{ code, message }` on stdout. */
function fail(error: unknown, json: boolean): number {
  let failure: CliError;
  if (error instanceof CliError) failure = error;
  else if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
    failure = usageError((error as Error).message);
  else failure = new CliError((error as Error).stack ?? String(error), EXIT.jobFailed, { code: 'INTERNAL' });
  if (json) process.stdout.write(`${JSON.stringify(errorDocument(failure))}\n`);
  else process.stderr.write(`pharma: ${failure.message}\n`);
  return failure.exitCode;
}

const argv = process.argv.slice(2);
try {
  process.exitCode = await run(argv);
} catch (error) {
  process.exitCode = fail(error, argv.includes('--json'));
}
