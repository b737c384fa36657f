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
import { addStartJobRoute, type RoutesPlugin } from './route-kit.js';
import { authErrors, authErrorsWith404, Month } from './schemas.js';

const Filters = {
  status: Type.Optional(Type.Array(RegistryFileStatus, { minItems: 1 })),
  dataProvider: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  clientName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  reportType: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  from: Type.Optional(Month),
  to: Type.Optional(Month),
};

export const registryRoutes: RoutesPlugin = async (app, options) => {
  const rpc = { timeoutMs: options.rpcTimeoutMs };
  const staffOnly = app.requireRole('ops', 'admin');

  addStartJobRoute(app, options, '/api/registry/scans', {
    tag: 'registry',
    summary: 'Scans the distributor intake tree now, as a job',
    rpc: startRegistryScanRpc,
  });

  app.get(
    '/api/registry/files',
    {
      preValidation: staffOnly,
      schema: {
        tags: ['registry'],
        summary: 'Registered files matching the filters, newest first, paged',
        querystring: Type.Object(
          {
            ...Filters,
            offset: Type.Integer({ minimum: 0, default: 0 }),
            limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: listRegistryFilesRpc.response, ...authErrors },
      },
    },
    async (request) => requestRpc(app.nats, listRegistryFilesRpc, request.query, rpc),
  );

  app.get(
    '/api/registry/summary',
    {
      preValidation: staffOnly,
      schema: {
        tags: ['registry'],
        summary: 'Counts of files by status, provider and report month',
        querystring: Type.Object(Filters, { additionalProperties: false }),
        response: { 200: registrySummaryRpc.response, ...authErrors },
      },
    },
    async (request) => requestRpc(app.nats, registrySummaryRpc, request.query, rpc),
  );

  app.get(
    '/api/registry/completeness',
    {
      preValidation: staffOnly,
      schema: {
        tags: ['registry'],
        summary: 'Expected versus received reports of a month: missing, late and unexpected',
        querystring: Type.Object({ month: Month }),
        response: { 200: registryCompletenessRpc.response, ...authErrors },
      },
    },
    async (request) => requestRpc(app.nats, registryCompletenessRpc, request.query, rpc),
  );

  app.post(
    '/api/registry/files/:id/retry',
    {
      preValidation: staffOnly,
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
      const { results } = await requestRpc(app.nats, retryRegistryFilesRpc, { ids: [id] }, rpc);
      const result = results.find((r) => r.id === id);
      if (!result || result.outcome === 'not_found') throw new NotFoundError(`File ${id} is not registered`);
      return { id: result.id, outcome: result.outcome };
    },
  );
};
