import {
  listRegistryFilesRpc,
  RegistryFileStatus,
  registryCompletenessRpc,
  registrySummaryRpc,
  retryRegistryFilesRpc,
  startRegistryScanRpc,
} from '@pharma/shared/contracts';
import { NotFoundError } from '@pharma/shared/errors';
import { requestRpc } from '@pharma/shared/messaging';
import { Type } from '@sinclair/typebox';
import { addStaffQueryRoute, addStartJobRoute, type RoutesPlugin } from './route-kit.js';
import { authErrorsWith404, Month } from './schemas.js';

const Filters = {
  status: Type.Optional(Type.Array(RegistryFileStatus, { minItems: 1 })),
  dataProvider: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  clientName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  reportType: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  from: Type.Optional(Month),
  to: Type.Optional(Month),
};

export const registryRoutes: RoutesPlugin = async (app, options) => {
  addStartJobRoute(app, options, '/api/registry/scans', {
    tag: 'registry',
    summary: 'Scans the distributor intake tree now, as a job',
    rpc: startRegistryScanRpc,
  });

  addStaffQueryRoute(app, options, '/api/registry/files', {
    tag: 'registry',
    summary: 'Registered files matching the filters, newest first, paged',
    querystring: Type.Object(
      {
        ...Filters,
        offset: Type.Integer({ minimum: 0, default: 0 }),
        limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
      },
      { additionalProperties: false },
    ),
    rpc: listRegistryFilesRpc,
  });

  addStaffQueryRoute(app, options, '/api/registry/summary', {
    tag: 'registry',
    summary: 'Counts of files by status, provider and report month',
    querystring: Type.Object(Filters, { additionalProperties: false }),
    rpc: registrySummaryRpc,
  });

  addStaffQueryRoute(app, options, '/api/registry/completeness', {
    tag: 'registry',
    summary: 'Expected versus received reports of a month: missing, late and unexpected',
    querystring: Type.Object({ month: Month }),
    rpc: registryCompletenessRpc,
  });

  app.post(
    '/api/registry/files/:id/retry',
    {
      preValidation: app.staffOnly,
      schema: {
        tags: ['registry'],
        summary: 'Puts a file in error back to NEW so it is processed again',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        response: {
          200: Type.Object({
            id: Type.Integer(),
            outcome: Type.Union([Type.Literal('retried'), Type.Literal('deleted')]),
          }),
          ...authErrorsWith404,
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { results } = await requestRpc(app.nats, retryRegistryFilesRpc, { ids: [id] }, options.rpc);
      const result = results.find((r) => r.id === id);
      if (!result || result.outcome === 'not_found') throw new NotFoundError(`File ${id} is not registered`);
      return { id: result.id, outcome: result.outcome };
    },
  );
};
