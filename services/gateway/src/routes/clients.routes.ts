import { Readable } from 'node:stream';
import {
  ClientKey,
  IsoDate,
  storageAgeingRpc,
  storageBalancesRpc,
  storageCustomersRpc,
  storageDebtorsRpc,
  storageDownloadDbRpc,
  storageStatementRpc,
  storageTotalsRpc,
} from '@pharma/shared/contracts';
import { ForbiddenError, ValidationError } from '@pharma/shared/errors';
import { openObjectStore, requestRpc } from '@pharma/shared/messaging';
import { periodOrDefault } from '@pharma/shared/period';
import { Type } from '@sinclair/typebox';
import { sendStorageCsv } from '../services/file-reply.js';
import { launchJob } from '../services/job-launcher.js';
import { statementWorkbook } from '../services/statement-workbook.js';
import { addPharmacyQueryRoute, pharmacyOf, type RoutesPlugin } from './route-kit.js';
import { authErrors, authErrorsWith404, ErrorBody, FileBody, JobAccepted, Paging } from './schemas.js';

const KeyParams = Type.Object({ key: ClientKey });
/** A statement's period; both bounds name one statement, without them the current one is read. */
const StatementPeriod = { from: Type.Optional(IsoDate), to: Type.Optional(IsoDate) };
const CsvSeparator = Type.Union([Type.Literal(','), Type.Literal(';')], { default: ';' });

export const clientsRoutes: RoutesPlugin = async (app, options) => {
  const { jobs, rpc } = options;
  const pharmacyOnly = app.requireRole('pharmacy');

  app.post(
    '/api/clients/refresh',
    {
      preValidation: pharmacyOnly,
      schema: {
        tags: ['clients'],
        summary: 'Collects the customer list from Sobrus again, as a job',
        response: { 202: JobAccepted, ...authErrors },
      },
    },
    async (request, reply) => {
      const pharmacyId = pharmacyOf(request);
      const job = await launchJob(app, jobs, {
        kind: 'clients.refresh',
        owner: request.principal?.owner as string,
        subject: 'sobrus.clients.refresh.requested',
        correlationId: String(request.id),
        payload: (jobId, requestedAt) => ({ jobId, pharmacyId, requestedAt, correlationId: String(request.id) }),
      });
      return reply.status(202).send({ jobId: job.id, job });
    },
  );

  app.post(
    '/api/statements/refresh',
    {
      preValidation: pharmacyOnly,
      schema: {
        tags: ['statements'],
        summary: 'Downloads and parses the statements of a period (all customers or the ones named), as a job',
        body: Type.Object(
          {
            from: Type.Optional({ ...IsoDate, description: 'Default 2017-01-01 (the default period)' }),
            to: Type.Optional({ ...IsoDate, description: 'Default yesterday (the default period)' }),
            clientKeys: Type.Optional(Type.Array(ClientKey, { minItems: 1, maxItems: 5000, uniqueItems: true })),
          },
          { additionalProperties: false },
        ),
        response: { 202: JobAccepted, ...authErrors },
      },
    },
    async (request, reply) => {
      const pharmacyId = pharmacyOf(request);
      const { clientKeys } = request.body;
      const { from, to } = periodOrDefault(request.body);
      if (from > to) throw new ValidationError('from must not be after to', { fields: ['from', 'to'] });
      const job = await launchJob(app, jobs, {
        kind: 'statements.refresh',
        owner: request.principal?.owner as string,
        subject: 'sobrus.statements.refresh.requested',
        correlationId: String(request.id),
        payload: (jobId, requestedAt) => ({
          jobId,
          pharmacyId,
          from,
          to,
          ...(clientKeys ? { clientKeys } : {}),
          requestedAt,
          correlationId: String(request.id),
        }),
      });
      return reply.status(202).send({ jobId: job.id, job });
    },
  );

  addPharmacyQueryRoute(app, options, '/api/clients', {
    tag: 'clients',
    summary: 'Customers of the pharmacy (search by name, key, e-mail or phone), paged',
    querystring: Type.Object({ search: Type.Optional(Type.String({ maxLength: 200 })), ...Paging }),
    rpc: storageCustomersRpc,
  });

  app.get(
    '/api/clients/:key/statement',
    {
      preValidation: pharmacyOnly,
      schema: {
        tags: ['statements'],
        summary: "A customer's statement of a period (the latest when none is given), totals by kind included",
        params: KeyParams,
        querystring: Type.Object({ from: Type.Optional(IsoDate), to: Type.Optional(IsoDate) }),
        response: {
          200: Type.Object({ ...storageStatementRpc.response.properties, totals: storageTotalsRpc.response }),
          ...authErrorsWith404,
        },
      },
    },
    async (request) => {
      const pharmacyId = pharmacyOf(request);
      const { key } = request.params;
      const { from, to } = request.query;
      const statement = await requestRpc(app.nats, storageStatementRpc, { pharmacyId, clientKey: key, from, to }, rpc);
      const totals = await requestRpc(
        app.nats,
        storageTotalsRpc,
        { pharmacyId, clientKey: key, from: statement.statement.from, to: statement.statement.to },
        rpc,
      );
      return { ...statement, totals };
    },
  );

  app.get(
    '/api/clients/:key/transactions.csv',
    {
      preValidation: pharmacyOnly,
      schema: {
        tags: ['statements'],
        summary: "A customer's transactions (or product lines) as CSV, streamed",
        params: KeyParams,
        querystring: Type.Object({
          sep: CsvSeparator,
          dataset: Type.Union([Type.Literal('transactions'), Type.Literal('product-lines')], {
            default: 'transactions',
          }),
          ...StatementPeriod,
        }),
        produces: ['text/csv'],
        response: { 200: FileBody('CSV, UTF-8 with BOM'), ...authErrorsWith404 },
      },
    },
    async (request, reply) => {
      const pharmacyId = pharmacyOf(request);
      const { key } = request.params;
      const { sep, dataset, from, to } = request.query;
      const period = from && to ? { from, to } : {};
      return sendStorageCsv(app, reply, { pharmacyId, dataset, clientKey: key, separator: sep, ...period }, rpc);
    },
  );

  app.get(
    '/api/clients/:key/transactions.xlsx',
    {
      preValidation: pharmacyOnly,
      schema: {
        tags: ['statements'],
        summary: "A customer's statement as an Excel workbook (summary, transactions, product lines)",
        params: KeyParams,
        querystring: Type.Object({ from: Type.Optional(IsoDate), to: Type.Optional(IsoDate) }),
        produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
        response: { 200: FileBody('xlsx workbook'), ...authErrorsWith404 },
      },
    },
    async (request, reply) => {
      const pharmacyId = pharmacyOf(request);
      const { key } = request.params;
      const { from, to } = request.query;
      const view = await requestRpc(app.nats, storageStatementRpc, { pharmacyId, clientKey: key, from, to }, rpc);
      const fileName = `releve_${key}_${view.statement.from}_${view.statement.to}.xlsx`;
      reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${fileName}"`);
      return reply.send(await statementWorkbook(view));
    },
  );

  addPharmacyQueryRoute(app, options, '/api/balances', {
    tag: 'balances',
    summary: "Every customer's balances and verdict, discrepancies first by default",
    querystring: Type.Object({ discrepanciesFirst: Type.Boolean({ default: true }), ...Paging }),
    rpc: storageBalancesRpc,
  });

  app.get(
    '/api/receivables/ageing',
    {
      preValidation: pharmacyOnly,
      schema: {
        tags: ['balances'],
        summary: 'Receivables ageing (0-30, 31-60, 61-90, >90 days) with the top debtors',
        querystring: Type.Object({
          asOf: Type.Optional(IsoDate),
          debtors: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
          ...Paging,
        }),
        response: {
          200: Type.Object({
            ...storageAgeingRpc.response.properties,
            debtors: storageDebtorsRpc.response.properties.items,
          }),
          ...authErrors,
        },
      },
    },
    async (request) => {
      const pharmacyId = pharmacyOf(request);
      const { asOf, debtors, offset, limit } = request.query;
      const [ageing, top] = await Promise.all([
        requestRpc(app.nats, storageAgeingRpc, { pharmacyId, asOf, offset, limit }, rpc),
        requestRpc(app.nats, storageDebtorsRpc, { pharmacyId, limit: debtors }, rpc),
      ]);
      return { ...ageing, debtors: top.items };
    },
  );

  app.get(
    '/api/pharmacy.db',
    {
      preValidation: pharmacyOnly,
      schema: {
        tags: ['clients'],
        summary: "A consistent copy of the pharmacy's SQLite database",
        produces: ['application/vnd.sqlite3'],
        response: { 200: FileBody('SQLite file'), 401: ErrorBody, 403: ErrorBody, 503: ErrorBody },
      },
    },
    async (request, reply) => {
      const copy = await requestRpc(app.nats, storageDownloadDbRpc, { pharmacyId: pharmacyOf(request) }, rpc);
      const store = await openObjectStore(app.nats, copy.bucket);
      const object = await store.get(copy.name);
      if (!object) throw new ForbiddenError('The database copy expired; ask again');
      reply
        .header('content-type', 'application/vnd.sqlite3')
        .header('content-length', String(copy.size))
        .header('content-disposition', `attachment; filename="${copy.fileName.replaceAll('"', '')}"`);
      return reply.send(Readable.fromWeb(object.data as never));
    },
  );
};
