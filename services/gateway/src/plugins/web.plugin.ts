import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export interface WebOptions {
  dir: string;
}

/**
 * Serves the built web app; any other GET outside /api and /docs answers index.html so that the app's
 * own routes (/clients/42…) survive a reload. Without a build, only the API is served.
 */
export const webPlugin = fp<WebOptions>(
  async (app: FastifyInstance, options) => {
    if (!existsSync(join(options.dir, 'index.html'))) {
      app.log.warn({ dir: options.dir }, 'web app not built: serving the API only');
      return;
    }
    await app.register(fastifyStatic, { root: options.dir, wildcard: false, index: false });
    app.get('/*', { schema: { hide: true } }, (request, reply) => {
      const path = request.url.split('?')[0] ?? '/';
      if (path.startsWith('/api/') || path.startsWith('/docs')) {
        return reply.status(404).send({ code: 'NOT_FOUND', message: `No route GET ${path}` });
      }
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    });
  },
  { name: 'web' },
);
