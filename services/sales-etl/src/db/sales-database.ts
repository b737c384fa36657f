import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqlite } from '@pharma/shared/db';
import { FifoSlots } from '@pharma/shared/slots';
import type Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.js';

export type SalesDrizzle = BetterSQLite3Database<typeof schema>;

/**
 * `sales.db` with two connections: the writer, used by one import or one small change at a time under
 * `writeLock` (an import keeps its transaction open while it downloads), and a reader that sees the last
 * committed state without waiting for the writer (WAL).
 */
export interface SalesDatabase {
  file: string;
  writer: Database.Database;
  reader: Database.Database;
  write: SalesDrizzle;
  read: SalesDrizzle;
  /** One slot: writes run one after the other, in the order they asked. */
  writeLock: FifoSlots;
  close(): void;
}

const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

export function openSalesDatabase(dataDir: string): SalesDatabase {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'sales.db');
  const writer = openSqlite(file);
  writer.pragma('temp_store = MEMORY');
  writer.pragma('cache_size = -65536');
  migrate(drizzle(writer), { migrationsFolder });
  const reader = openSqlite(file);
  return {
    file,
    writer,
    reader,
    write: drizzle(writer, { schema }),
    read: drizzle(reader, { schema }),
    writeLock: new FifoSlots(1),
    close() {
      reader.close();
      writer.close();
    },
  };
}
