import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ScriptWorkerPool } from '../runner/worker-pool.js';

declare module 'fastify' {
  interface FastifyInstance {
    scriptPool: ScriptWorkerPool;
  }
}

/** The warm worker threads for module scripts: started with the service, terminated at close. */
export const scriptPoolPlugin = fp<{ size: number }>(
  async (app: FastifyInstance, { size }) => {
    const pool = new ScriptWorkerPool(size, app.log);
    pool.warm();
    app.decorate('scriptPool', pool);
    app.addHook('onClose', async () => pool.close());
  },
  { name: 'script-pool' },
);
