import type { pg } from '@pharma/shared/db';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import * as schema from './schema.js';

export type AuthDb = NodePgDatabase<typeof schema>;

export const createAuthDb = (pool: pg.Pool): AuthDb => drizzle(pool, { schema });
