// NATS request/reply contracts of the storage service (storage-sync). Every request names the pharmacy; the
// service only ever opens that pharmacy's own database.
import { Type } from '@sinclair/typebox';
import { defineRpc } from '../messaging/rpc.js';
import { ClientKey, IsoDate, IsoDateTime, PharmacyId, Sha256 } from './common.js';
import { Anomaly, StatementTransaction, Verdict } from './events.js';

const Paging = {
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
};

const Period = Type.Object({ from: IsoDate, to: IsoDate });

export const StorageCustomer = Type.Object({
  clientKey: ClientKey,
  name: Type.String(),
  /** Name in the seed-compatible tables: `Name (clientKey)` when customers share a name. */
  seedName: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  organisme: Type.Union([Type.String(), Type.Null()]),
  immatriculation: Type.Union([Type.String(), Type.Null()]),
  balance: Type.Union([Type.Number(), Type.Null()]),
  verdict: Type.Union([Verdict, Type.Null()]),
  lastPaymentDate: Type.Union([IsoDate, Type.Null()]),
});

export const StorageStatementSummary = Type.Object({
  clientKey: ClientKey,
  from: IsoDate,
  to: IsoDate,
  openingBalance: Type.Number(),
  closingBalance: Type.Number(),
  computedClosingBalance: Type.Number(),
  /** closingBalance - computedClosingBalance. */
  difference: Type.Number(),
  verdict: Verdict,
  pages: Type.Integer(),
  sourceSha256: Sha256,
  downloadedAt: IsoDateTime,
  parsedAt: IsoDateTime,
  current: Type.Boolean(),
});

/** A stored transaction: as parsed, with its place in the statement. */
export const StorageTransaction = Type.Composite([Type.Object({ seq: Type.Integer() }), StatementTransaction]);

export const storageCustomersRpc = defineRpc({
  subject: 'rpc.storage-sync.customers',
  description: "Searches a pharmacy's customers (name, key, e-mail, phone), paged, with balance and verdict",
  request: Type.Object({ pharmacyId: PharmacyId, search: Type.Optional(Type.String({ maxLength: 200 })), ...Paging }),
  response: Type.Object({ total: Type.Integer(), offset: Type.Integer(), items: Type.Array(StorageCustomer) }),
});

export const storageStatementRpc = defineRpc({
  subject: 'rpc.storage-sync.statement',
  description: "A customer's statement for a period (its current one when no period is given) with rows and lines",
  request: Type.Object({
    pharmacyId: PharmacyId,
    clientKey: ClientKey,
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
  }),
  response: Type.Object({
    customer: StorageCustomer,
    statement: StorageStatementSummary,
    transactions: Type.Array(StorageTransaction),
    anomalies: Type.Array(Anomaly),
    /** Every period stored for this customer. */
    periods: Type.Array(Period),
  }),
});

export const StorageBalanceRow = Type.Object({
  clientKey: ClientKey,
  name: Type.String(),
  from: Type.Union([IsoDate, Type.Null()]),
  to: Type.Union([IsoDate, Type.Null()]),
  openingBalance: Type.Union([Type.Number(), Type.Null()]),
  closingBalance: Type.Union([Type.Number(), Type.Null()]),
  computedClosingBalance: Type.Union([Type.Number(), Type.Null()]),
  difference: Type.Union([Type.Number(), Type.Null()]),
  verdict: Type.Union([Verdict, Type.Null()]),
});

export const storageBalancesRpc = defineRpc({
  subject: 'rpc.storage-sync.balances',
  description: "Every customer's current balances and reconciliation verdict (discrepancies first on request)",
  request: Type.Object({ pharmacyId: PharmacyId, discrepanciesFirst: Type.Optional(Type.Boolean()), ...Paging }),
  response: Type.Object({
    total: Type.Integer(),
    offset: Type.Integer(),
    verdicts: Type.Object({
      ok: Type.Integer(),
      ok_with_anomalies: Type.Integer(),
      mismatch: Type.Integer(),
      none: Type.Integer(),
    }),
    items: Type.Array(StorageBalanceRow),
  }),
});

const StorageKindTotal = Type.Object({ count: Type.Integer(), total: Type.Number(), effect: Type.Number() });

export const storageTotalsRpc = defineRpc({
  subject: 'rpc.storage-sync.totals',
  description: 'Totals per transaction kind (sales, payments, credit notes, returns) over current statements',
  request: Type.Object({
    pharmacyId: PharmacyId,
    clientKey: Type.Optional(ClientKey),
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
  }),
  response: Type.Object({
    customers: Type.Integer(),
    sales: StorageKindTotal,
    payments: StorageKindTotal,
    creditNotes: StorageKindTotal,
    returns: StorageKindTotal,
    other: StorageKindTotal,
    /** Sum of current closing balances. */
    balance: Type.Number(),
  }),
});

export const StorageAgeingFigures = Type.Object({
  days0to30: Type.Number(),
  days31to60: Type.Number(),
  days61to90: Type.Number(),
  over90: Type.Number(),
  outstanding: Type.Number(),
  unappliedCredit: Type.Number(),
  balance: Type.Number(),
});

export const storageAgeingRpc = defineRpc({
  subject: 'rpc.storage-sync.ageing',
  description: 'Receivables ageing (0-30, 31-60, 61-90, >90 days) per customer and overall, FIFO-matched',
  request: Type.Object({
    pharmacyId: PharmacyId,
    asOf: Type.Optional(IsoDate),
    clientKey: Type.Optional(ClientKey),
    ...Paging,
  }),
  response: Type.Object({
    asOf: IsoDate,
    overall: StorageAgeingFigures,
    total: Type.Integer(),
    offset: Type.Integer(),
    /** Customers with something outstanding or in credit, largest outstanding first. */
    customers: Type.Array(
      Type.Intersect([Type.Object({ clientKey: ClientKey, name: Type.String() }), StorageAgeingFigures]),
    ),
  }),
});

export const storageDebtorsRpc = defineRpc({
  subject: 'rpc.storage-sync.debtors',
  description: 'Customers owing the most, with their last payment date',
  request: Type.Object({ pharmacyId: PharmacyId, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }),
  response: Type.Object({
    items: Type.Array(
      Type.Object({
        clientKey: ClientKey,
        name: Type.String(),
        balance: Type.Number(),
        lastPaymentDate: Type.Union([IsoDate, Type.Null()]),
      }),
    ),
  }),
});

export const StorageCsvDataset = Type.Union([
  Type.Literal('customers'),
  Type.Literal('balances'),
  Type.Literal('transactions'),
  Type.Literal('product-lines'),
  Type.Literal('ageing'),
]);

export const storageExportCsvRpc = defineRpc({
  subject: 'rpc.storage-sync.export-csv',
  description:
    'One chunk of a CSV export (UTF-8 with BOM in the first chunk); ask again with nextCursor until it is absent',
  request: Type.Object({
    pharmacyId: PharmacyId,
    dataset: StorageCsvDataset,
    separator: Type.Optional(Type.Union([Type.Literal(','), Type.Literal(';')])),
    /** Only this customer (transactions, product lines, ageing). */
    clientKey: Type.Optional(ClientKey),
    /** Transactions and product lines of the statement of exactly this period (the current one when absent). */
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
    asOf: Type.Optional(IsoDate),
    cursor: Type.Optional(Type.Integer({ minimum: 0 })),
  }),
  response: Type.Object({
    fileName: Type.String(),
    contentType: Type.String(),
    text: Type.String(),
    rows: Type.Integer(),
    nextCursor: Type.Optional(Type.Integer()),
  }),
});

export const storageDownloadDbRpc = defineRpc({
  subject: 'rpc.storage-sync.download-db',
  description: "A consistent copy of the pharmacy's .db file, put in the NATS object store for the caller to stream",
  request: Type.Object({ pharmacyId: PharmacyId }),
  response: Type.Object({
    bucket: Type.String(),
    name: Type.String(),
    fileName: Type.String(),
    size: Type.Integer(),
    sha256: Sha256,
    expiresAt: IsoDateTime,
  }),
});

export const StorageReplication = Type.Object({
  pharmacyId: Type.String(),
  state: Type.Union([
    Type.Literal('synced'),
    Type.Literal('pending'),
    Type.Literal('uploading'),
    Type.Literal('behind'),
    Type.Literal('conflict'),
  ]),
  behind: Type.Boolean(),
  localChangeSeq: Type.Integer(),
  uploadedChangeSeq: Type.Integer(),
  generation: Type.Integer(),
  consecutiveFailures: Type.Integer(),
  lastUploadAt: Type.Optional(IsoDateTime),
  lastError: Type.Optional(Type.String()),
  lastErrorAt: Type.Optional(IsoDateTime),
  nextAttemptAt: Type.Optional(IsoDateTime),
});

export const storageStatusRpc = defineRpc({
  subject: 'rpc.storage-sync.status',
  description: "Replication state of a pharmacy's database (is S3 behind, last generation, last error)",
  request: Type.Object({ pharmacyId: PharmacyId }),
  response: StorageReplication,
});

export const storageSyncNowRpc = defineRpc({
  subject: 'rpc.storage-sync.sync-now',
  description: 'Uploads the pharmacy database to S3 now and answers with the resulting state',
  request: Type.Object({ pharmacyId: PharmacyId }),
  response: StorageReplication,
});

export const storageRestoreRpc = defineRpc({
  subject: 'rpc.storage-sync.restore',
  description: 'Restores the pharmacy database from S3 if the local file is older than the latest generation',
  request: Type.Object({ pharmacyId: PharmacyId }),
  response: Type.Object({
    decision: Type.Union([
      Type.Literal('keep-local'),
      Type.Literal('restore'),
      Type.Literal('restore-keeping-local-copy'),
      Type.Literal('nothing-remote'),
    ]),
    generation: Type.Optional(Type.Integer()),
  }),
});

export const STORAGE_RPCS = [
  storageCustomersRpc,
  storageStatementRpc,
  storageBalancesRpc,
  storageTotalsRpc,
  storageAgeingRpc,
  storageDebtorsRpc,
  storageExportCsvRpc,
  storageDownloadDbRpc,
  storageStatusRpc,
  storageSyncNowRpc,
  storageRestoreRpc,
] as const;
