import { eq } from 'drizzle-orm';
import type { SalesDrizzle } from '../db/sales-database.js';
import { httpValidators } from '../db/schema.js';
import type { Validators } from '../fetch/safe-download.js';

export function findValidators(db: SalesDrizzle, url: string): Validators | undefined {
  const row = db.select().from(httpValidators).where(eq(httpValidators.url, url)).get();
  return row ? { etag: row.etag, lastModified: row.lastModified } : undefined;
}

export function saveValidators(db: SalesDrizzle, url: string, validators: Validators): void {
  const values = {
    etag: validators.etag ?? null,
    lastModified: validators.lastModified ?? null,
    updatedAt: new Date().toISOString(),
  };
  db.insert(httpValidators)
    .values({ url, ...values })
    .onConflictDoUpdate({ target: httpValidators.url, set: values })
    .run();
}
