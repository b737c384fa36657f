// NATS request/reply contracts of the registry service (`services/file-registry`).
import { Type } from '@sinclair/typebox';
import { defineRpc } from '../messaging/rpc.js';
import { Id, IsoDate, IsoDateTime } from './common.js';

/**
 * The statuses of a registered file (`ops.file_registry.status`, the original table's values): the one list, used
 * by the registry's schema and by the orchestrator, which sets them through the registry's `ops.set_file_status`.
 */
export const REGISTRY_FILE_STATUSES = ['NEW', 'PROCESSING', 'CREATED', 'ERROR', 'DELETE'] as const;
export type RegistryFileStatusName = (typeof REGISTRY_FILE_STATUSES)[number];

export const RegistryFileStatus = Type.Union(REGISTRY_FILE_STATUSES.map((status) => Type.Literal(status)));

const Month = Type.String({ pattern: '^\\d{4}-\\d{2}$', description: 'Report month YYYY-MM' });
const FolderName = Type.String({ minLength: 1, maxLength: 200 });

export const RegistryFile = Type.Object({
  id: Type.Integer(),
  filePath: Type.String({ description: 'Relative to the registry root, forward slashes' }),
  uploadedAt: Type.Union([IsoDateTime, Type.Null()]),
  status: RegistryFileStatus,
  dataProvider: Type.Union([Type.String(), Type.Null()]),
  reportYear: Type.Union([Type.Integer(), Type.Null()]),
  reportMonth: Type.Union([Type.Integer(), Type.Null()]),
  clientName: Type.Union([Type.String(), Type.Null()]),
  reportType: Type.Union([Type.String(), Type.Null()]),
  createdAt: IsoDateTime,
  errorReason: Type.Union([Type.String(), Type.Null()]),
});

export const RegistryFileFilter = Type.Object({
  status: Type.Optional(Type.Array(RegistryFileStatus, { minItems: 1 })),
  dataProvider: Type.Optional(Type.String()),
  clientName: Type.Optional(Type.String()),
  reportType: Type.Optional(Type.String()),
  /** Report months from/to, inclusive. */
  from: Type.Optional(Month),
  to: Type.Optional(Month),
});

export const listRegistryFilesRpc = defineRpc({
  subject: 'rpc.file-registry.files.list',
  request: Type.Composite([
    RegistryFileFilter,
    Type.Object({
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
      offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
    }),
  ]),
  response: Type.Object({ total: Type.Integer(), items: Type.Array(RegistryFile) }),
  description: 'Registered files matching the filters, newest first, with paging',
});

const Count = Type.Object({ key: Type.String(), count: Type.Integer() });

export const registrySummaryRpc = defineRpc({
  subject: 'rpc.file-registry.files.summary',
  request: RegistryFileFilter,
  response: Type.Object({
    total: Type.Integer(),
    byStatus: Type.Array(Count),
    byProvider: Type.Array(Count),
    byMonth: Type.Array(Count, { description: 'key = report month YYYY-MM' }),
  }),
  description: 'Counts of registered files by status, provider and report month',
});

export const retryRegistryFilesRpc = defineRpc({
  subject: 'rpc.file-registry.files.retry',
  request: Type.Object({ ids: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 10_000 }) }),
  response: Type.Object({
    results: Type.Array(
      Type.Object({
        id: Type.Integer(),
        outcome: Type.Union([Type.Literal('retried'), Type.Literal('not_found'), Type.Literal('deleted')]),
      }),
    ),
  }),
  description: 'Sets files back to NEW and clears their error reason (a DELETE file stays deleted)',
});

export const ExpectedReport = Type.Object({
  dataProvider: FolderName,
  clientName: FolderName,
  reportType: FolderName,
  month: Month,
});

const ReportKey = Type.Object({ dataProvider: Type.String(), clientName: Type.String(), reportType: Type.String() });
const ArrivedReport = Type.Composite([ReportKey, Type.Object({ arrivedAt: IsoDateTime, files: Type.Integer() })]);

export const registryCompletenessRpc = defineRpc({
  subject: 'rpc.file-registry.completeness',
  request: Type.Object({ month: Month }),
  response: Type.Object({
    month: Month,
    deadline: IsoDate,
    overdue: Type.Boolean({ description: 'The deadline has passed' }),
    expected: Type.Integer(),
    received: Type.Array(ArrivedReport),
    missing: Type.Array(ReportKey),
    late: Type.Array(ArrivedReport),
    unexpected: Type.Array(ArrivedReport),
  }),
  description: 'Expected versus received reports of a month: missing, late and unexpected ones',
});

export const editExpectedReportsRpc = defineRpc({
  subject: 'rpc.file-registry.expected.edit',
  request: Type.Object({
    add: Type.Optional(Type.Array(ExpectedReport, { maxItems: 100_000 })),
    remove: Type.Optional(Type.Array(ExpectedReport, { maxItems: 100_000 })),
  }),
  response: Type.Object({ added: Type.Integer(), removed: Type.Integer() }),
  description: 'Adds or removes agreed (expected) reports',
});

export const listExpectedReportsRpc = defineRpc({
  subject: 'rpc.file-registry.expected.list',
  request: Type.Object({ month: Month }),
  response: Type.Object({ items: Type.Array(ExpectedReport) }),
  description: 'Agreed (expected) reports of a month',
});

export const TreeSpec = Type.Object({
  years: Type.Array(Type.Integer({ minimum: 2000, maximum: 2100 }), { minItems: 1, maxItems: 50 }),
  months: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 12 }), { minItems: 1, maxItems: 12 })),
  providers: Type.Array(
    Type.Object({
      folder: Type.String({ minLength: 1, description: 'Provider folder (e.g. Сети) or provider (e.g. Сеть)' }),
      clients: Type.Array(FolderName, { minItems: 1, maxItems: 10_000 }),
      reportTypes: Type.Array(FolderName, { minItems: 1, maxItems: 100 }),
    }),
    { minItems: 1, maxItems: 50 },
  ),
  /** Records every (provider, client, report type, month) of the tree as an expected report (default true). */
  seedExpected: Type.Optional(Type.Boolean()),
});

export const generateTreeRpc = defineRpc({
  subject: 'rpc.file-registry.tree.generate',
  request: Type.Object({ spec: TreeSpec, dryRun: Type.Optional(Type.Boolean()) }),
  response: Type.Object({
    dryRun: Type.Boolean(),
    folders: Type.Integer({ description: 'Leaf folders the spec describes' }),
    created: Type.Integer({ description: 'Folders created (or that would be created on a dry run)' }),
    existing: Type.Integer(),
    expectedSeeded: Type.Integer(),
    sample: Type.Array(Type.String(), { description: 'First folders created or to create' }),
  }),
  description: 'Creates the intake folder tree under the registry root (idempotent)',
});

export const startRegistryScanRpc = defineRpc({
  subject: 'rpc.file-registry.scan.start',
  request: Type.Object({ requestedBy: Type.Optional(Type.String()), correlationId: Type.Optional(Type.String()) }),
  response: Type.Object({ jobId: Id }),
  description: 'Queues a scan of the intake tree as a job (registry.scan.requested)',
});
