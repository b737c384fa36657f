export { type Account, DEMO_ACCOUNT, defaultAccounts } from './domain/accounts.js';
export type { ActivityTier, SimCustomer } from './domain/customers.js';
export { HISTORY_START, todayIso } from './domain/dates.js';
export type { TransactionKind } from './domain/ledger.js';
export { formatAmount, THOUSANDS_SEPARATORS } from './domain/money.js';
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
