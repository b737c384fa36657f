import { Type } from '@sinclair/typebox';
import { ClientKey, CorrelationId, Id, IsoDate, IsoDateTime, PharmacyId, Sha256 } from './common.js';

// Payloads change only additively: new fields are optional, so an old payload still parses.

export const ClientsRefreshRequested = Type.Object({
  jobId: Id,
  pharmacyId: PharmacyId,
  requestedAt: IsoDateTime,
  correlationId: CorrelationId,
});

export const Customer = Type.Object({
  clientKey: ClientKey,
  name: Type.String({ maxLength: 1000 }),
  email: Type.Optional(Type.String()),
  phone: Type.Optional(Type.String()),
  organisme: Type.Optional(Type.String()),
  immatriculation: Type.Optional(Type.String()),
});

export const ClientsExtracted = Type.Object({
  jobId: Id,
  pharmacyId: PharmacyId,
  extractedAt: IsoDateTime,
  /** Count the site announced; differs from customers.length only when the job reports it. */
  siteTotal: Type.Integer({ minimum: 0 }),
  customers: Type.Array(Customer),
  correlationId: CorrelationId,
});

export const StatementsRefreshRequested = Type.Object({
  jobId: Id,
  pharmacyId: PharmacyId,
  from: IsoDate,
  to: IsoDate,
  clientKeys: Type.Optional(Type.Array(ClientKey)),
  requestedAt: IsoDateTime,
  correlationId: CorrelationId,
});

export const ObjectRef = Type.Object({
  bucket: Type.String(),
  name: Type.String(),
  size: Type.Integer({ minimum: 0 }),
  sha256: Sha256,
});

/** Which statement a message is about: the job that fetched it, and whose statement for which period. */
const StatementOfJob = {
  jobId: Id,
  pharmacyId: PharmacyId,
  clientKey: ClientKey,
  customerName: Type.String(),
  from: IsoDate,
  to: IsoDate,
};

export const StatementPdfReady = Type.Object({
  ...StatementOfJob,
  object: ObjectRef,
  downloadedAt: IsoDateTime,
  correlationId: CorrelationId,
});

export const ProductLine = Type.Object({
  product: Type.String(),
  quantity: Type.Number(),
  unitPrice: Type.Number(),
  discount: Type.Number(),
  discountedUnitPrice: Type.Number(),
  total: Type.Number(),
});

export const TransactionKind = Type.Union([
  Type.Literal('sale'),
  Type.Literal('payment'),
  Type.Literal('return'),
  Type.Literal('credit_note'),
  Type.Literal('other'),
]);

export const StatementTransaction = Type.Object({
  date: IsoDate,
  reference: Type.String(),
  label: Type.String(),
  kind: TransactionKind,
  /** Printed, unsigned. */
  total: Type.Number(),
  /** Balance delta: balance - previous balance. */
  effect: Type.Number(),
  balance: Type.Number(),
  page: Type.Integer({ minimum: 1 }),
  lines: Type.Array(ProductLine),
});

export const Verdict = Type.Union([Type.Literal('ok'), Type.Literal('ok_with_anomalies'), Type.Literal('mismatch')]);

export const Anomaly = Type.Object({
  kind: Type.String(),
  message: Type.String(),
  page: Type.Optional(Type.Integer()),
  line: Type.Optional(Type.Integer()),
  reference: Type.Optional(Type.String()),
});

export const ParsedStatement = Type.Object({
  openingBalance: Type.Number(),
  closingBalance: Type.Number(),
  computedClosingBalance: Type.Number(),
  verdict: Verdict,
  pages: Type.Integer({ minimum: 0 }),
  transactions: Type.Array(StatementTransaction),
  anomalies: Type.Array(Anomaly),
});

/**
 * Object store bucket of the redacted layout dumps of statements the pdf-processor could not read (rejected, or
 * parsed with the verdict `mismatch`): text positions, font names and sizes, digits as 9 and letters as x except
 * the statement's header and balance words, the reader and the PDF's producer. Staff download them from the
 * gateway; objects expire after `LAYOUT_DUMPS_KEEP_DAYS`.
 */
export const LAYOUT_DUMPS_BUCKET = 'statement-layouts';
export const LAYOUT_DUMPS_KEEP_DAYS = 30;

/** One dump per job, customer and period: a later parse of the same statement in the same job replaces it. */
export const layoutDumpName = (statement: { jobId: string; clientKey: string; from: string; to: string }) =>
  `${statement.jobId}/${statement.clientKey}/${statement.from}_${statement.to}.json`;

export const LayoutDumpRef = Type.Object(
  {
    /** Logical bucket name (without `NATS_PREFIX`): `statement-layouts`. */
    bucket: Type.String(),
    name: Type.String(),
    size: Type.Integer({ minimum: 0 }),
  },
  { description: "Where the statement PDF's redacted layout dump is kept (staff only, 30 days)" },
);

export const StatementParsed = Type.Object({
  ...StatementOfJob,
  sourceSha256: Sha256,
  /** Download time of the source PDF: orders parses of the same statement (newest wins). */
  downloadedAt: IsoDateTime,
  parsedAt: IsoDateTime,
  statement: ParsedStatement,
  correlationId: CorrelationId,
  /** Present when the verdict is `mismatch` and the layout dump could be kept. */
  layoutDump: Type.Optional(LayoutDumpRef),
});

export const StatementFailed = Type.Object({
  jobId: Id,
  pharmacyId: PharmacyId,
  clientKey: ClientKey,
  from: IsoDate,
  to: IsoDate,
  code: Type.String(),
  reason: Type.String(),
  failedAt: IsoDateTime,
  correlationId: CorrelationId,
  /** Present when the pdf-processor rejected a PDF it could still open, and kept its layout dump. */
  layoutDump: Type.Optional(LayoutDumpRef),
});

export const SnapshotUploaded = Type.Object({
  pharmacyId: PharmacyId,
  generation: Type.Integer({ minimum: 1 }),
  key: Type.String(),
  sha256: Sha256,
  size: Type.Integer({ minimum: 0 }),
  uploadedAt: IsoDateTime,
});

export const SalesImportRequested = Type.Object({
  jobId: Id,
  importId: Id,
  urls: Type.Object({
    products: Type.Optional(Type.String()),
    stores: Type.Optional(Type.String()),
    sales: Type.Optional(Type.String()),
  }),
  requestedAt: IsoDateTime,
  correlationId: CorrelationId,
});

export const ImportFileCounts = Type.Object({
  file: Type.String(),
  read: Type.Integer(),
  inserted: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Integer(),
  unchanged: Type.Optional(Type.Boolean()),
  /** Which of the three inputs the file was; `file` is its URL. */
  kind: Type.Optional(Type.Union([Type.Literal('products'), Type.Literal('stores'), Type.Literal('sales')])),
});

export const SalesImportCompleted = Type.Object({
  jobId: Id,
  importId: Id,
  runId: Id,
  status: Type.Union([Type.Literal('succeeded'), Type.Literal('failed')]),
  files: Type.Array(ImportFileCounts),
  error: Type.Optional(Type.String()),
  completedAt: IsoDateTime,
  correlationId: CorrelationId,
});

export const SalesAnalysesUpdated = Type.Object({
  runId: Id,
  computedAt: IsoDateTime,
  totalRevenue: Type.Number(),
});

export const RegistryScanRequested = Type.Object({
  jobId: Id,
  requestedBy: Type.Optional(Type.String()),
  requestedAt: IsoDateTime,
  correlationId: CorrelationId,
});

export const RegistryFileRegistered = Type.Object({
  id: Type.Integer(),
  filePath: Type.String(),
  dataProvider: Type.String(),
  reportYear: Type.Integer(),
  reportMonth: Type.Integer(),
  clientName: Type.String(),
  reportType: Type.String(),
  registeredAt: IsoDateTime,
});

export const RegistryScanCompleted = Type.Object({
  scanId: Id,
  jobId: Type.Optional(Id),
  status: Type.Union([Type.Literal('succeeded'), Type.Literal('failed'), Type.Literal('locked')]),
  totals: Type.Object({
    seen: Type.Integer(),
    new: Type.Integer(),
    skippedByFilter: Type.Integer(),
    skippedByStructure: Type.Integer(),
    unstable: Type.Integer(),
    deleted: Type.Integer(),
  }),
  startedAt: IsoDateTime,
  completedAt: IsoDateTime,
  correlationId: CorrelationId,
});

export const RegistryReportMissing = Type.Object({
  month: Type.String({ pattern: '^\\d{4}-\\d{2}$' }),
  dataProvider: Type.String(),
  clientName: Type.String(),
  reportType: Type.String(),
  deadline: IsoDate,
});

export const OrchestratorRunRequested = Type.Object({
  jobId: Id,
  requestedAt: IsoDateTime,
  correlationId: CorrelationId,
});

export const OrchestratorTaskUpdated = Type.Object({
  runId: Id,
  taskId: Type.Integer(),
  filePath: Type.String(),
  status: Type.String(),
  reason: Type.Optional(Type.String()),
  updatedAt: IsoDateTime,
});

export const OrchestratorRunCompleted = Type.Object({
  runId: Id,
  jobId: Type.Optional(Id),
  status: Type.Union([Type.Literal('succeeded'), Type.Literal('failed'), Type.Literal('locked')]),
  counts: Type.Record(Type.String(), Type.Integer()),
  startedAt: IsoDateTime,
  completedAt: IsoDateTime,
  /** Why a run failed or was locked, `<CODE>: <details>` (e.g. `STOPPED: …` when the service stopped mid-run). */
  error: Type.Optional(Type.String({ maxLength: 2000 })),
  correlationId: CorrelationId,
});
