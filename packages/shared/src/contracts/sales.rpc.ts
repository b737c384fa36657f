// NATS request/reply contracts of the sales service (`services/sales-etl`).
import { Type } from '@sinclair/typebox';
import { defineRpc } from '../messaging/rpc.js';
import { Id, IsoDateTime } from './common.js';

const CsvUrl = Type.String({
  minLength: 8,
  maxLength: 2048,
  pattern: '^https?://',
  description: 'http(s) URL of a CSV',
});

export const SalesImportUrls = Type.Object(
  {
    products: Type.Optional(CsvUrl),
    stores: Type.Optional(CsvUrl),
    sales: Type.Optional(CsvUrl),
  },
  { minProperties: 1, additionalProperties: false, description: 'Any subset of the three files' },
);

const Paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
};

export const SalesFileKind = Type.Union([Type.Literal('products'), Type.Literal('stores'), Type.Literal('sales')]);

export const SalesImportFile = Type.Object({
  kind: SalesFileKind,
  url: Type.String(),
  outcome: Type.Union([
    Type.Literal('imported'),
    Type.Literal('unchanged'),
    Type.Literal('failed'),
    Type.Literal('rolled_back'),
  ]),
  encoding: Type.Union([Type.String(), Type.Null()]),
  delimiter: Type.Union([Type.String(), Type.Null()]),
  bytes: Type.Integer(),
  read: Type.Integer(),
  inserted: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Integer(),
  error: Type.Union([Type.String(), Type.Null()]),
});

export const SalesImportRun = Type.Object({
  runId: Id,
  importId: Id,
  jobId: Type.Union([Type.String(), Type.Null()]),
  scheduleId: Type.Union([Type.String(), Type.Null()]),
  trigger: Type.Union([Type.Literal('request'), Type.Literal('schedule')]),
  status: Type.Union([
    Type.Literal('running'),
    Type.Literal('succeeded'),
    Type.Literal('failed'),
    Type.Literal('cancelled'),
  ]),
  startedAt: IsoDateTime,
  finishedAt: Type.Union([IsoDateTime, Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  files: Type.Array(SalesImportFile),
});

export const startSalesImportRpc = defineRpc({
  subject: 'rpc.sales-etl.imports.start',
  request: Type.Object({ urls: SalesImportUrls, owner: Type.Optional(Type.String({ minLength: 1 })) }),
  response: Type.Object({ jobId: Id, importId: Id }),
  description: 'Queues an import of CSV URLs; progress is in the job (kind sales.import)',
});

export const listSalesImportsRpc = defineRpc({
  subject: 'rpc.sales-etl.imports.list',
  request: Type.Object(Paging),
  response: Type.Object({ total: Type.Integer(), items: Type.Array(SalesImportRun) }),
  description: 'Import runs, newest first, with per-file counts',
});

export const SalesReject = Type.Object({
  id: Type.Integer(),
  runId: Id,
  kind: SalesFileKind,
  url: Type.String(),
  lineNumber: Type.Integer(),
  rawLine: Type.String(),
  reason: Type.String({ description: 'MALFORMED_CSV, COLUMN_COUNT, MISSING_FIELD, INVALID_ID, INVALID_NUMBER, …' }),
  message: Type.String(),
});

export const listSalesRejectsRpc = defineRpc({
  subject: 'rpc.sales-etl.rejects.list',
  request: Type.Object({ runId: Id, kind: Type.Optional(SalesFileKind), ...Paging }),
  response: Type.Object({ total: Type.Integer(), items: Type.Array(SalesReject) }),
  description: 'Rejected rows of a run with line number, raw line and reason, in file order',
});

const Amount = Type.Number();

export const SalesAnalyses = Type.Object({
  runId: Id,
  computedAt: IsoDateTime,
  salesCount: Type.Integer(),
  totalRevenue: Amount,
  quantityPerProduct: Type.Array(
    Type.Object({ idProduit: Type.Integer(), nom: Type.String(), quantite: Type.Number(), chiffreAffaires: Amount }),
  ),
  revenuePerCity: Type.Array(Type.Object({ ville: Type.String(), chiffreAffaires: Amount, ventes: Type.Integer() })),
  revenuePerMonth: Type.Array(
    Type.Object({ mois: Type.String({ description: 'YYYY-MM' }), chiffreAffaires: Amount, quantite: Type.Number() }),
  ),
  topProducts: Type.Array(
    Type.Object({ idProduit: Type.Integer(), nom: Type.String(), chiffreAffaires: Amount, quantite: Type.Number() }),
  ),
  averageBasketPerStore: Type.Array(
    Type.Object({ idMagasin: Type.Integer(), ville: Type.String(), ventes: Type.Integer(), panierMoyen: Amount }),
  ),
});

export const latestSalesAnalysesRpc = defineRpc({
  subject: 'rpc.sales-etl.analyses.latest',
  request: Type.Object({}),
  response: SalesAnalyses,
  description: 'Analyses of the latest successful import (404 when nothing was imported yet)',
});

export const SalesSchedule = Type.Object({
  id: Id,
  name: Type.String(),
  cron: Type.String(),
  timezone: Type.Union([Type.String(), Type.Null()]),
  urls: SalesImportUrls,
  owner: Type.String(),
  createdAt: IsoDateTime,
  nextRunAt: Type.Union([IsoDateTime, Type.Null()]),
  lastRunId: Type.Union([Type.String(), Type.Null()]),
  lastRunAt: Type.Union([IsoDateTime, Type.Null()]),
});

export const createSalesScheduleRpc = defineRpc({
  subject: 'rpc.sales-etl.schedules.create',
  request: Type.Object({
    name: Type.String({ minLength: 1, maxLength: 200 }),
    cron: Type.String({ minLength: 1, maxLength: 200, description: 'Cron pattern (5 or 6 fields)' }),
    timezone: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'IANA zone, e.g. Africa/Casablanca' }),
    ),
    urls: SalesImportUrls,
    owner: Type.Optional(Type.String({ minLength: 1 })),
  }),
  response: SalesSchedule,
  description: 'Saves a recurring import; each run fetches conditionally and skips unchanged files',
});

export const listSalesSchedulesRpc = defineRpc({
  subject: 'rpc.sales-etl.schedules.list',
  request: Type.Object({}),
  response: Type.Object({ items: Type.Array(SalesSchedule) }),
  description: 'Saved recurring imports with their next run',
});

export const deleteSalesScheduleRpc = defineRpc({
  subject: 'rpc.sales-etl.schedules.delete',
  request: Type.Object({ id: Id }),
  response: Type.Object({ deleted: Type.Boolean() }),
  description: 'Stops and removes a recurring import (404 when unknown)',
});
