import { listRegistryFilesRpc, RegistryFileFilter, retryRegistryFilesRpc } from '@pharma/shared/contracts';
import { ValidationError } from '@pharma/shared/errors';
import { requestRpc } from '@pharma/shared/messaging';
import { Type } from '@sinclair/typebox';
import { allPages } from '../services/all-pages.js';
import type { RoutesPlugin } from './route-kit.js';
import { authErrors } from './schemas.js';

/** The registry's own bound on one retry. */
const MAX_FILES = retryRegistryFilesRpc.request.properties.ids.maxItems ?? 10_000;

const RetryBody = Type.Union([
  Type.Object({ ids: retryRegistryFilesRpc.request.properties.ids }, { additionalProperties: false }),
  Type.Object(
    {
      filter: Type.Object(RegistryFileFilter.properties, {
        additionalProperties: false,
        minProperties: 1,
        description: 'Files matching it; without a status, the files in ERROR',
      }),
    },
    { additionalProperties: false },
  ),
]);

/**
 * Puts several files back to NEW at once, named by id or by a filter; the answer has one outcome per file
 * (`retried`, `not_found`, `deleted`) instead of failing the whole batch for one bad id.
 */
export const bulkRetryRoutes: RoutesPlugin = async (app, options) => {
  app.post(
    '/api/registry/files/retry',
    {
      preValidation: app.staffOnly,
      schema: {
        tags: ['registry'],
        summary: 'Puts several files (by id, or every file matching a filter) back to NEW; one outcome per file',
        body: RetryBody,
        response: { 200: retryRegistryFilesRpc.response, ...authErrors },
      },
    },
    async (request) => {
      const { body } = request;
      let ids: number[];
      if ('ids' in body) ids = body.ids;
      else {
        const filter = { status: ['ERROR' as const], ...body.filter };
        const files = await allPages(async (offset) => {
          const page = await requestRpc(
            app.nats,
            listRegistryFilesRpc,
            { ...filter, offset, limit: 1000 },
            options.rpc,
          );
          if (page.total > MAX_FILES) {
            throw new ValidationError(`${page.total} files match; narrow the filter to at most ${MAX_FILES}`, {
              fields: ['filter'],
            });
          }
          return page;
        });
        if (files.length === 0) return { results: [] };
        ids = files.map((file) => file.id);
      }
      return requestRpc(app.nats, retryRegistryFilesRpc, { ids }, options.rpc);
    },
  );
};
