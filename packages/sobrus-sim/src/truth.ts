import type { SimCustomer } from './domain/customers.js';
import type { LedgerLine, TransactionKind } from './domain/ledger.js';
import { centsToNumber } from './domain/money.js';
import type { PrintedStatement, PrintOptions, Simulation, StatementRequest } from './simulation.js';

/** Field names follow the `Customer` contract of `@pharma/shared/contracts`. */
export interface TruthCustomer {
  clientKey: string;
  name: string;
  email?: string;
  phone?: string;
  organisme?: string;
  immatriculation?: string;
}

/** Field names follow `ProductLine`. */
export interface TruthProductLine {
  product: string;
  quantity: number;
  unitPrice: number;
  discount: number;
  discountedUnitPrice: number;
  total: number;
}

/** Field names follow `StatementTransaction`. */
export interface TruthTransaction {
  date: string;
  reference: string;
  label: string;
  kind: TransactionKind;
  total: number;
  effect: number;
  balance: number;
  page: number;
  lines: TruthProductLine[];
}

/** What a statement PDF prints, as a correct parser must read it (field names follow `ParsedStatement`). */
export interface TruthStatement {
  account: string;
  clientKey: string;
  customerName: string;
  startDate: string;
  endDate: string;
  openingBalance: number;
  closingBalance: number;
  pages: number;
  transactions: TruthTransaction[];
  /** Rows printed with a Total that differs from their balance delta because of the inconsistency fault. */
  injectedInconsistencies: string[];
}

export interface TruthAccount {
  email: string;
  password: string;
  pharmacyName: string;
  customerCount: number;
}

/** Ground truth for tests: expected customers and statements, computed by the same code that serves them. */
export interface Truth {
  accounts(): TruthAccount[];
  customers(account: string): TruthCustomer[];
  statement(request: StatementRequest, options?: PrintOptions): Promise<TruthStatement>;
}

export function createTruth(
  simulation: Simulation,
  defaults: (account: string, customerId: string) => PrintOptions,
): Truth {
  return {
    accounts: () => simulation.accounts().map((account) => ({ ...account })),
    customers: (account) => simulation.customers(account).map(toTruthCustomer),
    statement: async (request, options) =>
      toTruthStatement(await simulation.print(request, options ?? defaults(request.account, request.customerId))),
  };
}

export function toTruthCustomer(customer: SimCustomer): TruthCustomer {
  const optional = (value: string) => (value === '' ? undefined : value);
  const truth: TruthCustomer = { clientKey: customer.id, name: customer.name };
  for (const field of ['email', 'phone', 'organisme', 'immatriculation'] as const) {
    const value = optional(customer[field]);
    if (value !== undefined) truth[field] = value;
  }
  return truth;
}

export function toTruthStatement(printed: PrintedStatement): TruthStatement {
  const { statement } = printed;
  return {
    account: printed.account.email,
    clientKey: printed.customer.id,
    customerName: printed.customer.name,
    startDate: statement.startDate,
    endDate: statement.endDate,
    openingBalance: centsToNumber(statement.openingBalance),
    closingBalance: centsToNumber(statement.closingBalance),
    pages: printed.pages,
    transactions: statement.rows.map((row, index) => ({
      date: row.date,
      reference: row.reference,
      label: row.label,
      kind: row.kind,
      total: centsToNumber(row.total),
      effect: centsToNumber(row.effect),
      balance: centsToNumber(row.balance),
      page: printed.rowPages[index] ?? 1,
      lines: row.lines.map(toTruthLine),
    })),
    injectedInconsistencies: printed.inconsistentReference ? [printed.inconsistentReference] : [],
  };
}

function toTruthLine(line: LedgerLine): TruthProductLine {
  return {
    product: line.product,
    quantity: line.quantity,
    unitPrice: centsToNumber(line.unitPrice),
    discount: line.discount,
    discountedUnitPrice: centsToNumber(line.discountedUnitPrice),
    total: centsToNumber(line.total),
  };
}
