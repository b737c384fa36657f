import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { findCustomer } from '../customer-lookup.js';
import { EXIT } from '../errors.js';
import type { GatewayClient } from '../gateway-client.js';
import type { Output } from '../output.js';

/** Streams a customer's transactions to a file (or stdout), without holding them in memory. */
export async function exportCsv(
  client: GatewayClient,
  out: Output,
  options: { client: string; out?: string; separator: string; lines: boolean },
): Promise<number> {
  const customer = await findCustomer(client, options.client);
  const dataset = options.lines ? 'product-lines' : 'transactions';
  const response = await client.fetch(
    `/api/clients/${encodeURIComponent(customer.clientKey)}/transactions.csv?sep=${encodeURIComponent(options.separator)}&dataset=${dataset}`,
    { accept: 'text/csv' },
  );
  const body = Readable.fromWeb(response.body as never);
  if (!options.out) {
    await pipeline(body, process.stdout, { end: false });
    return EXIT.ok;
  }
  await pipeline(body, createWriteStream(options.out));
  out.result({ clientKey: customer.clientKey, name: customer.name, file: options.out }, `Wrote ${options.out}`);
  return EXIT.ok;
}
