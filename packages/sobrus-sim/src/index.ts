export { loadConfig, type SimulatorConfig } from './config.js';
export { type Account, DEMO_ACCOUNT, defaultAccounts } from './domain/accounts.js';
export type { ActivityTier, SimCustomer } from './domain/customers.js';
export { HISTORY_START, todayIso } from './domain/dates.js';
export type { TransactionKind } from './domain/ledger.js';
export { formatAmount, THOUSANDS_SEPARATORS } from './domain/money.js';
export {
  FaultController,
  type FaultSettings,
  FaultSettingsSchema,
  parseFaultSettings,
  ROUTE_IDS,
  type RouteId,
} from './faults.js';
export { WRONG_CREDENTIALS } from './http/accounts.server.js';
export { MAX_LIST_LIMIT } from './http/customers.routes.js';
export { SESSION_COOKIE } from './http/sessions.js';
export * as statementLayout from './pdf/statement-layout.js';
export { renderStatementPdf } from './pdf/statement-pdf.js';
export {
  type PrintedStatement,
  type PrintOptions,
  Simulation,
  type SimulationOptions,
  type StatementRequest,
  UnknownEntityError,
} from './simulation.js';
export { DEFAULT_SEED, type RunningSimulator, type SimulatorOptions, startSimulator } from './simulator.js';
export { DEFAULT_SITE, SITE_TRAITS, SITE_VARIANTS, type SiteTraits, type SiteVariant } from './site-variants.js';
export {
  createTruth,
  type Truth,
  type TruthAccount,
  type TruthCustomer,
  type TruthProductLine,
  type TruthStatement,
  type TruthTransaction,
  toTruthStatement,
} from './truth.js';
