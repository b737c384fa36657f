import type { Static } from '@pharma/shared/config';
import type { Customer } from '@pharma/shared/contracts';

export type CustomerRecord = Static<typeof Customer>;

export interface RawCustomer {
  id: string;
  name: string;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  organisme?: string | null | undefined;
  immatriculation?: string | null | undefined;
}

const optional = (value: string | null | undefined) => {
  const text = value?.trim();
  return text ? text : undefined;
};

export function toCustomer(raw: RawCustomer): CustomerRecord {
  const customer: CustomerRecord = { clientKey: String(raw.id).trim(), name: raw.name.trim() };
  for (const field of ['email', 'phone', 'organisme', 'immatriculation'] as const) {
    const value = optional(raw[field]);
    if (value !== undefined) customer[field] = value;
  }
  return customer;
}

export class CountMismatchError extends Error {
  constructor(
    readonly siteTotal: number,
    readonly collected: number,
    readonly path: string,
  ) {
    super(`the site announces ${siteTotal} customers, the ${path} path collected ${collected}`);
  }
}

/**
 * Pages of the list merged in page order, each customer once (by client key). A key seen twice, or a total
 * that is not reached, means pages shifted or were skipped: the caller gets an error, never a short list.
 */
export function mergePages(
  pages: Map<number, CustomerRecord[]>,
  siteTotal: number,
  path: string,
): { customers: CustomerRecord[]; duplicates: number } {
  const byKey = new Map<string, CustomerRecord>();
  let duplicates = 0;
  for (const page of [...pages.keys()].sort((a, b) => a - b)) {
    for (const customer of pages.get(page) ?? []) {
      if (byKey.has(customer.clientKey)) duplicates += 1;
      else byKey.set(customer.clientKey, customer);
    }
  }
  const customers = [...byKey.values()];
  if (customers.length !== siteTotal) throw new CountMismatchError(siteTotal, customers.length, path);
  return { customers, duplicates };
}
