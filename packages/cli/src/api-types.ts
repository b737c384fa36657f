// Shapes of the gateway's answers the CLI prints, taken from the contracts the gateway answers with (type-only
// imports: nothing of them is loaded at run time).
import type { Static } from '@pharma/shared/config';
import type {
  getOrchestratorRunRpc,
  listOrchestratorRunsRpc,
  listRegistryFilesRpc,
  listSalesImportsRpc,
  registryCompletenessRpc,
  registrySummaryRpc,
  storageAgeingRpc,
  storageBalancesRpc,
  storageCustomersRpc,
  storageDebtorsRpc,
  storageStatementRpc,
} from '@pharma/shared/contracts';

export type CustomerList = Static<typeof storageCustomersRpc.response>;
export type StatementView = Static<typeof storageStatementRpc.response>;
export type BalanceList = Static<typeof storageBalancesRpc.response>;
/** `GET /api/receivables/ageing`: the ageing with the top debtors. */
export type AgeingView = Static<typeof storageAgeingRpc.response> & {
  debtors: Static<typeof storageDebtorsRpc.response>['items'];
};
export type RegistryFileList = Static<typeof listRegistryFilesRpc.response>;
export type RegistrySummary = Static<typeof registrySummaryRpc.response>;
export type Completeness = Static<typeof registryCompletenessRpc.response>;
export type OrchestratorRuns = Static<typeof listOrchestratorRunsRpc.response>;
export type OrchestratorRunView = Static<typeof getOrchestratorRunRpc.response>;
export type SalesImports = Static<typeof listSalesImportsRpc.response>;
