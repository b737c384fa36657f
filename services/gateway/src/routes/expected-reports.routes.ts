import { editExpectedReportsRpc, listExpectedReportsRpc } from '@pharma/shared/contracts';
import { requestRpc } from '@pharma/shared/messaging';
import { Type } from '@sinclair/typebox';
import type { RoutesPlugin } from './route-kit.js';
import { authErrors, Month } from './schemas.js';

/** The reports agreed with each distributor per month, which completeness compares the arrivals with. */
export const expectedReportsRoutes: RoutesPlugin = async (app, options) => {
  app.get(
    '/api/registry/expected',
    {
      preValidation: app.staffOnly,
      schema: {
        tags: ['registry'],
        summary: 'Expected (agreed) reports of a month',
        querystring: Type.Object({ month: Month }),
        response: { 200: listExpectedReportsRpc.response, ...authErrors },
      },
    },
    async (request) => requestRpc(app.nats, listExpectedReportsRpc, request.query, options.rpc),
  );

  app.patch(
    '/api/registry/expected',
    {
      preValidation: app.staffOnly,
      schema: {
        tags: ['registry'],
        summary: 'Adds and removes expected reports (provider, client, report type, month); answers the counts',
        body: Type.Object(editExpectedReportsRpc.request.properties, { additionalProperties: false, minProperties: 1 }),
        response: { 200: editExpectedReportsRpc.response, ...authErrors },
      },
    },
    async (request) => requestRpc(app.nats, editExpectedReportsRpc, request.body, options.rpc),
  );
};
