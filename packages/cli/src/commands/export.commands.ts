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
export async function download(
  { client, out, options }: CommandContext,
  path: string,
  file: { accept: string; binary: boolean; describe: Record<string, unknown> },
): Promise<number> {
  if (!options.out && file.binary) throw usageError('Give --out FILE: the file is binary');
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

const LISTS = ['customers', 'balances', 'ageing'] as const;

/** The whole list a positional names (`customers`, `balances`, `ageing`), or undefined for a customer's statement. */
function listOf(args: readonly string[]): (typeof LISTS)[number] | undefined {
  const [name] = args;
  if (name === undefined) return undefined;
  const list = LISTS.find((one) => one === name);
  if (!list) throw usageError(`Export customers, balances or ageing, or a customer's statement with --client`);
  return list;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const exportCommands: Command[] = [
  {
    name: 'export csv',
    usage:
      '(customers|balances|ageing [--as-of D] | --client NAME [--from D --to D] [--lines]) [--out FILE] [--sep ;|,]',
    summary: "a whole list, or a customer's transactions (--lines: product lines), as CSV (stdout without --out)",
    run: async (context) => {
      const { options } = context;
      const sep = separator(options.sep);
      const list = listOf(context.args);
      if (list) {
        const path = `/api/exports/${list}.csv${query({ sep, asOf: dateOption(options['as-of'], 'as-of') })}`;
        return download(context, path, { accept: 'text/csv', binary: false, describe: { export: list } });
      }
      const customer = await customerOf(context);
      const dataset = options.lines ? 'product-lines' : 'transactions';
      const period = { from: dateOption(options.from, 'from'), to: dateOption(options.to, 'to') };
      const path = `/api/clients/${encodeURIComponent(customer.clientKey)}/transactions.csv${query({ sep, dataset, ...period })}`;
      return download(context, path, {
        accept: 'text/csv',
        binary: false,
        describe: { clientKey: customer.clientKey, name: customer.name },
      });
    },
  },
  {
    name: 'export xlsx',
    usage: '(customers|balances|ageing [--as-of D] | --client NAME [--from D --to D]) --out FILE',
    summary: "a whole list, or a customer's statement (summary, transactions, product lines), as an Excel workbook",
    run: async (context) => {
      const { options } = context;
      const list = listOf(context.args);
      if (list) {
        const path = `/api/exports/${list}.xlsx${list === 'ageing' ? query({ asOf: dateOption(options['as-of'], 'as-of') }) : ''}`;
        return download(context, path, { accept: XLSX, binary: true, describe: { export: list } });
      }
      const customer = await customerOf(context);
      const period = { from: dateOption(options.from, 'from'), to: dateOption(options.to, 'to') };
      const path = `/api/clients/${encodeURIComponent(customer.clientKey)}/transactions.xlsx${query(period)}`;
      return download(context, path, {
        accept: XLSX,
        binary: true,
        describe: { clientKey: customer.clientKey, name: customer.name },
      });
    },
  },
  {
    name: 'export db',
    usage: '--out FILE',
    summary: "a consistent copy of the pharmacy's SQLite database",
    run: (context) =>
      download(context, '/api/pharmacy.db', {
        accept: 'application/vnd.sqlite3',
        binary: true,
        describe: { export: 'pharmacy.db' },
      }),
  },
];
