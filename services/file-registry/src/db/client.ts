import type { pg } from '@pharma/shared/db';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import * as schema from './schema.js';

export type RegistryDb = NodePgDatabase<typeof schema>;

export const createRegistryDb = (pool: pg.Pool): RegistryDb => drizzle(pool, { schema });
