// Shapes of the gateway's answers the app reads, taken from the contracts the gateway answers with (type-only
// imports: nothing of them reaches the bundle). Where the gateway composes several answers, so does this file.
import type { Static } from '@pharma/shared/config';
import type {
  Job as JobSchema,
  JobStatus as JobStatusSchema,
  listRegistryFilesRpc,
  OrchestratorRun as OrchestratorRunSchema,
  OrchestratorTaskRun as OrchestratorTaskRunSchema,
  Principal as PrincipalSchema,
  ProductLine as ProductLineSchema,
  RegistryFile as RegistryFileSchema,
  registryCompletenessRpc,
  registrySummaryRpc,
  SalesAnalyses as SalesAnalysesSchema,
  SalesImportRun as SalesImportRunSchema,
  SalesReject as SalesRejectSchema,
  SalesSchedule as SalesScheduleSchema,
  StorageBalanceRow,
  StorageCustomer,
  StorageReplication as StorageReplicationSchema,
  StorageTransaction,
  storageAgeingRpc,
  storageBalancesRpc,
  storageCustomersRpc,
  storageDebtorsRpc,
  storageRestoreRpc,
  storageStatementRpc,
  storageTotalsRpc,
  Verdict as VerdictSchema,
} from '@pharma/shared/contracts';

/** The gateway always names these; `id` and `email` only when the auth service gives them. */
export type Principal = Pick<Static<typeof PrincipalSchema>, 'kind' | 'owner' | 'role' | 'pharmacyId'>;

export type JobStatus = Static<typeof JobStatusSchema>;
export type Job = Static<typeof JobSchema>;

/** A statement the pdf-processor could not read, with its redacted layout dump (the gateway's own answer). */
export interface LayoutDump {
  clientKey: string;
  from: string;
  to: string;
  outcome: string;
  via?: string;
  producer?: string;
  size: number;
  keptAt: string;
  url: string;
}

export type Verdict = Static<typeof VerdictSchema>;

export type Customer = Static<typeof StorageCustomer>;
export type CustomerList = Static<typeof storageCustomersRpc.response>;

export type ProductLine = Static<typeof ProductLineSchema>;
export type Transaction = Static<typeof StorageTransaction>;

export type Totals = Static<typeof storageTotalsRpc.response>;
export type KindTotal = Totals['sales'];

/** `GET /api/clients/:key/statement`: the statement with its totals by kind. */
export type StatementView = Static<typeof storageStatementRpc.response> & { totals: Totals };

export type BalanceRow = Static<typeof StorageBalanceRow>;
export type BalanceList = Static<typeof storageBalancesRpc.response>;

/** `GET /api/receivables/ageing`: the ageing with the top debtors. */
export type AgeingView = Static<typeof storageAgeingRpc.response> & {
  debtors: Static<typeof storageDebtorsRpc.response>['items'];
};

export type RegistryFile = Static<typeof RegistryFileSchema>;
export type RegistryFileList = Static<typeof listRegistryFilesRpc.response>;
export type RegistrySummary = Static<typeof registrySummaryRpc.response>;
export type Count = RegistrySummary['byStatus'][number];
export type Completeness = Static<typeof registryCompletenessRpc.response>;
export type ReportKey = Completeness['missing'][number];

export type SalesAnalyses = Static<typeof SalesAnalysesSchema>;
export type SalesImportRun = Static<typeof SalesImportRunSchema>;
export type SalesReject = Static<typeof SalesRejectSchema>;
export type SalesSchedule = Static<typeof SalesScheduleSchema>;
export type StorageReplication = Static<typeof StorageReplicationSchema>;
export type StorageRestore = Static<typeof storageRestoreRpc.response>;

export type OrchestratorRun = Static<typeof OrchestratorRunSchema>;
export type OrchestratorTaskRun = Static<typeof OrchestratorTaskRunSchema>;
