import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type pg from 'pg';
import { createPgPool, migratePostgres, pingPostgres } from '../db/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    pg: pg.Pool;
  }
}

export interface PostgresPluginOptions {
  url: string;
  poolSize: number;
  /** Folder of the service's drizzle-kit migrations, applied at start. */
  migrationsFolder: string;
}

export const postgresPlugin = fp<PostgresPluginOptions>(
  async (app: FastifyInstance, options) => {
    const pool = createPgPool(options.url, options.poolSize);
    try {
      await migratePostgres(pool, options.migrationsFolder, app.service.name);
    } catch (error) {
      await pool.end();
      throw error;
    }
    app.decorate('pg', pool);
    app.readiness.add('postgres', async () => {
      await pingPostgres(pool);
      return { ok: true };
    });
    app.addHook('onClose', async () => pool.end());
  },
  { name: 'postgres', dependencies: ['readiness'] },
);
