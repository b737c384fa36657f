import { usageError } from './errors.js';
import type { GatewayClient } from './gateway-client.js';

interface Customer {
  clientKey: string;
  name: string;
}

/** Finds one customer by key or name (exact, case-insensitive); an ambiguous or unknown name is a usage error. */
export async function findCustomer(client: GatewayClient, name: string): Promise<Customer> {
  const page = await client.json<{ items: Customer[] }>(`/api/clients?limit=100&search=${encodeURIComponent(name)}`);
  const wanted = name.trim().toLocaleLowerCase();
  const byKey = page.items.find((c) => c.clientKey === name.trim());
  if (byKey) return byKey;
  const exact = page.items.filter((c) => c.name.toLocaleLowerCase() === wanted);
  const matches = exact.length > 0 ? exact : page.items;
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length === 0) throw usageError(`No customer named "${name}"`);
  const list = matches
    .slice(0, 10)
    .map((c) => `  ${c.clientKey}  ${c.name}`)
    .join('\n');
  throw usageError(`"${name}" matches several customers; give the key instead:\n${list}`);
}
