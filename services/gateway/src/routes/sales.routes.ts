import {
  latestSalesAnalysesRpc,
  listSalesImportsRpc,
  SalesImportUrls,
  startSalesImportRpc,
} from '@pharma/shared/contracts';
import { requestRpc } from '@pharma/shared/messaging';
import { Type } from '@sinclair/typebox';
import { acceptedJob, addStaffQueryRoute, type RoutesPlugin } from './route-kit.js';
import { authErrors, authErrorsWith404, JobAccepted } from './schemas.js';

export const salesRoutes: RoutesPlugin = async (app, options) => {
  app.post(
    '/api/sales/imports',
    {
      preValidation: app.staffOnly,
      schema: {
        tags: ['sales'],
        summary: 'Imports products, stores and sales CSV files from URLs, as a job',
        body: Type.Object({ urls: SalesImportUrls }, { additionalProperties: false }),
        response: { 202: Type.Object({ ...JobAccepted.properties, importId: Type.String() }), ...authErrors },
      },
    },
    async (request, reply) => {
      const { urls } = request.body;
      const answer = await requestRpc(
        app.nats,
        startSalesImportRpc,
        { urls, owner: request.principal?.owner },
        options.rpc,
      );
      return reply.status(202).send(await acceptedJob(options.jobs, answer));
    },
  );

  addStaffQueryRoute(app, options, '/api/sales/imports', {
    tag: 'sales',
    summary: 'Import runs, newest first, with per-file counts',
    querystring: Type.Object({
      offset: Type.Integer({ minimum: 0, default: 0 }),
      limit: Type.Integer({ minimum: 1, maximum: 1000, default: 20 }),
    }),
    rpc: listSalesImportsRpc,
  });

  app.get(
    '/api/sales/analyses',
    {
      preValidation: app.staffOnly,
      schema: {
        tags: ['sales'],
        summary: 'Analyses of the latest successful import (revenue per city, product, month; top products)',
        response: { 200: latestSalesAnalysesRpc.response, ...authErrorsWith404 },
      },
    },
    async () => requestRpc(app.nats, latestSalesAnalysesRpc, {}, options.rpc),
  );
};
