#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { formatStatement } from './cli/format-statement.js';
import { createParserPool } from './worker/parser-pool.js';

const USAGE = 'usage: cli.js parse <file.pdf> [--json] [--timeout-ms <n>]';

async function main(argv: string[]): Promise<number> {
  const [command, file, ...rest] = argv;
  if (command !== 'parse' || !file) {
    console.error(USAGE);
    return 64;
  }
  const json = rest.includes('--json');
  const timeoutIndex = rest.indexOf('--timeout-ms');
  const timeoutMs = timeoutIndex >= 0 ? Number(rest[timeoutIndex + 1]) : 30_000;
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (error) {
    console.error(`cannot read ${file}: ${(error as Error).message}`);
    return 66;
  }
  const pool = createParserPool({ threads: 1, timeoutMs, maxMemoryMb: 512 });
  try {
    const outcome = await pool.parse(data);
    if (!outcome.ok) {
      console.error(`rejected (${outcome.code}): ${outcome.reason}`);
      return 2;
    }
    const { pages: _pages, ...statement } = outcome.statement;
    console.log(json ? JSON.stringify(statement, null, 2) : formatStatement(outcome.statement));
    return 0;
  } finally {
    await pool.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
