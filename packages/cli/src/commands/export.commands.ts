import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command, CommandContext } from '../command.js';
import { findCustomer } from '../customer-lookup.js';
import { EXIT, usageError } from '../errors.js';
import { dateOption, query } from '../option-values.js';

/**
 * Streams a file the gateway answers (CSV, workbook) to `--out`, without holding it in memory; to stdout when
 * no `--out` is given and the file is text.
 */
async function download(
  { client, out, options }: CommandContext,
  path: string,
  file: { accept: string; binary: boolean; describe: Record<string, unknown> },
): Promise<number> {
  if (!options.out && file.binary) throw usageError('Give --out FILE: the workbook is binary');
  const response = await client.fetch(path, { accept: file.accept });
  const body = Readable.fromWeb(response.body as never);
  if (!options.out) {
    await pipeline(body, process.stdout, { end: false });
    return EXIT.ok;
  }
  await pipeline(body, createWriteStream(options.out));
  out.result({ ...file.describe, file: options.out }, `Wrote ${options.out}`);
  return EXIT.ok;
}

function separator(value: string): string {
  if (value !== ';' && value !== ',') throw usageError('--sep must be ; or ,');
  return value;
}

async function customerOf(context: CommandContext) {
  const name = context.options.client?.[0];
  if (!name) throw usageError('Give --client NAME (or its key)');
  return findCustomer(context.client, name);
}

export const exportCommands: Command[] = [
  {
    name: 'export csv',
    usage: '--client NAME [--out FILE] [--sep ;|,] [--lines]',
    summary: "a customer's transactions (or, with --lines, product lines) as CSV (stdout without --out)",
    run: async (context) => {
      const sep = separator(context.options.sep);
      const customer = await customerOf(context);
      const dataset = context.options.lines ? 'product-lines' : 'transactions';
      const path = `/api/clients/${encodeURIComponent(customer.clientKey)}/transactions.csv${query({ sep, dataset })}`;
      return download(context, path, {
        accept: 'text/csv',
        binary: false,
        describe: { clientKey: customer.clientKey, name: customer.name },
      });
    },
  },
  {
    name: 'export xlsx',
    usage: '--client NAME --out FILE [--from D --to D]',
    summary: "a customer's statement as an Excel workbook (summary, transactions, product lines)",
    run: async (context) => {
      const { options } = context;
      const customer = await customerOf(context);
      const period = { from: dateOption(options.from, 'from'), to: dateOption(options.to, 'to') };
      const path = `/api/clients/${encodeURIComponent(customer.clientKey)}/transactions.xlsx${query(period)}`;
      return download(context, path, {
        accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        binary: true,
        describe: { clientKey: customer.clientKey, name: customer.name },
      });
    },
  },
];
