import type { Command } from './command.js';

const OPTIONS_HELP = `Options:
  --url URL       gateway address (default $PHARMA_URL, else the saved session's, else http://127.0.0.1:8080)
  --json          one JSON document on stdout: the result, or { code, message, exitCode } on an error
  --no-wait       start a job and print it instead of following it
  -h, --help      this help; \`pharma <command> --help\` for one command
  -V, --version   the CLI's version`;

const EXIT_HELP = `Exit codes: 0 ok, 1 job failed/cancelled/partial, 2 usage error, 3 not logged in / not allowed,
4 gateway or service unreachable, 130 interrupted by Ctrl-C (the followed job was cancelled)`;

const line = (command: Command) => `${command.name}${command.usage ? ` ${command.usage}` : ''}`;

/** `pharma --help`: every command with its one-line summary. */
export function usage(commands: readonly Command[]): string {
  const width = Math.min(44, Math.max(...commands.map((c) => line(c).length)));
  const list = commands
    .map((c) =>
      line(c).length > width
        ? `  ${line(c)}\n  ${' '.repeat(width)}  ${c.summary}`
        : `  ${line(c).padEnd(width)}  ${c.summary}`,
    )
    .join('\n');
  return `pharma — the pharma platform from the command line

Usage: pharma [--url URL] [--json] [--no-wait] <command> [options]

${list}

${OPTIONS_HELP}

${EXIT_HELP}`;
}

/** `pharma <command> --help`. */
export function commandHelp(command: Command): string {
  return `Usage: pharma ${line(command)}

${command.summary}${command.help ? `\n${command.help}` : ''}

${OPTIONS_HELP}

${EXIT_HELP}`;
}
