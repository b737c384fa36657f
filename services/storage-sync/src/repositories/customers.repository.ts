import type { ClientsExtracted, Customer } from '@pharma/shared/contracts';
import type { Static } from '@sinclair/typebox';
import type Database from 'better-sqlite3';
import { bumpChangeSeq } from '../db/pharmacy-database.js';
import { preparedPerConnection } from '../db/prepared-statements.js';
import type { CustomerRow } from '../db/schema.js';
import { normaliseInstant } from '../domain/statement-version.js';
import { refreshSeedNames } from './seed-tables.repository.js';

type CustomerInput = Static<typeof Customer>;

export interface StoreCustomersResult {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Older than the details already stored: ignored. */
  stale: number;
  changed: boolean;
}

type StoredCustomer = Pick<CustomerRow, 'name' | 'email' | 'phone' | 'organisme' | 'immatriculation' | 'detailsAt'>;

/** A placeholder no real name can equal, so a new customer always counts as renamed and gets its seed rows. */
export const unnamed = (clientKey: string) => `\u0000${clientKey}`;

const sameDetails = (stored: StoredCustomer, incoming: CustomerInput, at: string) =>
  stored.name === incoming.name &&
  stored.email === (incoming.email ?? null) &&
  stored.phone === (incoming.phone ?? null) &&
  stored.organisme === (incoming.organisme ?? null) &&
  stored.immatriculation === (incoming.immatriculation ?? null) &&
  stored.detailsAt === at;

/**
 * Upserts a pharmacy's customer list. Customers missing from the list are kept (a customer is never lost); a
 * list older than the one that set a customer's details does not overwrite them.
 */
export function storeCustomers(
  sqlite: Database.Database,
  event: Static<typeof ClientsExtracted>,
): StoreCustomersResult {
  const at = normaliseInstant(event.extractedAt);
  const select = sqlite.prepare(
    `SELECT name, email, phone, organisme, immatriculation, details_at AS detailsAt
     FROM customers WHERE client_key = ?`,
  );
  const insert = sqlite.prepare(
    `INSERT INTO customers (client_key, name, seed_name, email, phone, organisme, immatriculation, details_at)
     VALUES (@clientKey, @name, @seedName, @email, @phone, @organisme, @immatriculation, @detailsAt)`,
  );
  const update = sqlite.prepare(
    `UPDATE customers SET name = @name, email = @email, phone = @phone, organisme = @organisme,
       immatriculation = @immatriculation, details_at = @detailsAt WHERE client_key = @clientKey`,
  );
  return sqlite.transaction(() => {
    const result: StoreCustomersResult = { inserted: 0, updated: 0, unchanged: 0, stale: 0, changed: false };
    for (const customer of event.customers) {
      const row = {
        clientKey: customer.clientKey,
        name: customer.name,
        seedName: unnamed(customer.clientKey),
        email: customer.email ?? null,
        phone: customer.phone ?? null,
        organisme: customer.organisme ?? null,
        immatriculation: customer.immatriculation ?? null,
        detailsAt: at,
      };
      const stored = select.get(customer.clientKey) as StoredCustomer | undefined;
      if (!stored) {
        insert.run(row);
        result.inserted++;
      } else if (stored.detailsAt !== null && stored.detailsAt > at) {
        result.stale++;
      } else if (sameDetails(stored, customer, at)) {
        result.unchanged++;
      } else {
        update.run(row);
        result.updated++;
      }
    }
    result.changed = result.inserted + result.updated > 0;
    if (result.changed) {
      refreshSeedNames(sqlite);
      bumpChangeSeq(sqlite);
    }
    return result;
  })();
}

const prepared = preparedPerConnection((sqlite) => ({
  ensure: sqlite.prepare(
    'INSERT INTO customers (client_key, name, seed_name) VALUES (?, ?, ?) ON CONFLICT (client_key) DO NOTHING',
  ),
  seedName: sqlite.prepare('SELECT seed_name AS seedName FROM customers WHERE client_key = ?'),
}));

/** Makes sure a customer first seen in a statement exists; returns whether it was created. Call inside a transaction. */
export function ensureCustomer(sqlite: Database.Database, clientKey: string, name: string): boolean {
  return prepared(sqlite).ensure.run(clientKey, name, unnamed(clientKey)).changes > 0;
}

export function seedNameOf(sqlite: Database.Database, clientKey: string): string {
  const row = prepared(sqlite).seedName.get(clientKey) as { seedName: string } | undefined;
  if (!row) throw new Error(`customer ${clientKey} does not exist`);
  return row.seedName;
}
