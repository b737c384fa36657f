import {
  latestSalesAnalysesRpc,
  listSalesImportsRpc,
  SalesImportUrls,
  startSalesImportRpc,
} from '@pharma/shared/contracts';
import { type JobStore, requestRpc } from '@pharma/shared/messaging';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { authErrors, authErrorsWith404, JobAccepted } from './schemas.js';

export interface SalesRoutesOptions {
  jobs: JobStore;
  rpcTimeoutMs: number;
}

export async function salesRoutes(app: FastifyInstance, options: SalesRoutesOptions) {
  const rpc = { timeoutMs: options.rpcTimeoutMs };
  const staffOnly = app.requireRole('ops', 'admin');

  app.post(
    '/api/sales/imports',
    {
      preValidation: staffOnly,
      schema: {
        tags: ['sales'],
        summary: 'Imports products, stores and sales CSV files from URLs, as a job',
        body: Type.Object({ urls: SalesImportUrls }, { additionalProperties: false }),
        response: { 202: Type.Object({ ...JobAccepted.properties, importId: Type.String() }), ...authErrors },
      },
    },
    async (request, reply) => {
      const { urls } = request.body as { urls: Record<string, string> };
      const { jobId, importId } = await requestRpc(
        app.nats,
        startSalesImportRpc,
        { urls, owner: request.principal?.owner },
        rpc,
      );
      const job = await options.jobs.require(jobId);
      return reply.status(202).send({ jobId, importId, job });
    },
  );

  app.get(
    '/api/sales/imports',
    {
      preValidation: staffOnly,
      schema: {
        tags: ['sales'],
        summary: 'Import runs, newest first, with per-file counts',
        querystring: Type.Object({
          offset: Type.Integer({ minimum: 0, default: 0 }),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 20 }),
        }),
        response: { 200: listSalesImportsRpc.response, ...authErrors },
      },
    },
    async (request) => requestRpc(app.nats, listSalesImportsRpc, request.query as never, rpc),
  );

  app.get(
    '/api/sales/analyses',
    {
      preValidation: staffOnly,
      schema: {
        tags: ['sales'],
        summary: 'Analyses of the latest successful import (revenue per city, product, month; top products)',
        response: { 200: latestSalesAnalysesRpc.response, ...authErrorsWith404 },
      },
    },
    async () => requestRpc(app.nats, latestSalesAnalysesRpc, {}, rpc),
  );
}
