import { type Account, defaultAccounts } from './domain/accounts.js';
import { generateCustomers, type SimCustomer } from './domain/customers.js';
import { withInconsistentRow } from './domain/inconsistency.js';
import { generateLedger, type Ledger } from './domain/ledger.js';
import { buildStatement, type StatementData } from './domain/statement.js';
import type { PdfPageSize } from './pdf/statement-layout.js';
import { type RenderedStatement, renderStatementPdf } from './pdf/statement-pdf.js';

export interface SimulationOptions {
  seed: string;
  /** Customers of the demo account and pharmacie01. */
  customers: number;
  /** Last day of every ledger (YYYY-MM-DD). */
  today: string;
  accounts?: Account[];
}

export interface StatementRequest {
  account: string;
  customerId: string;
  startDate: string;
  endDate: string;
}

export interface PrintOptions {
  pageSize?: PdfPageSize;
  /** Print one row whose Total differs from its balance delta. */
  inconsistent?: boolean;
}

export interface PrintedStatement extends RenderedStatement {
  account: Account;
  customer: SimCustomer;
  statement: StatementData;
  /** Reference of the row printed with a wrong Total, when the inconsistency fault applied. */
  inconsistentReference?: string;
}

const MAX_CACHED_PDFS = 600;

/** The simulated world: accounts, customers, ledgers and printed statements, all derived from the seed and cached. */
export class Simulation {
  readonly seed: string;
  readonly today: string;
  private readonly accountList: Account[];
  private readonly customersByAccount = new Map<string, SimCustomer[]>();
  private readonly ledgers = new Map<string, Ledger>();
  private readonly printed = new Map<string, Promise<PrintedStatement>>();

  constructor(options: SimulationOptions) {
    this.seed = options.seed;
    this.today = options.today;
    this.accountList = options.accounts ?? defaultAccounts(options.seed, options.customers);
  }

  accounts(): Account[] {
    return this.accountList;
  }

  account(email: string): Account | undefined {
    const wanted = email.trim().toLowerCase();
    return this.accountList.find((account) => account.email.toLowerCase() === wanted);
  }

  customers(email: string): SimCustomer[] {
    const account = this.requireAccount(email);
    let customers = this.customersByAccount.get(account.email);
    if (!customers) {
      customers = generateCustomers(this.seed, account.email, account.customerCount);
      this.customersByAccount.set(account.email, customers);
    }
    return customers;
  }

  customer(email: string, customerId: string): SimCustomer | undefined {
    return this.customers(email).find((customer) => customer.id === customerId);
  }

  ledger(email: string, customerId: string): Ledger {
    const account = this.requireAccount(email);
    const key = `${account.email}\u0000${customerId}`;
    let ledger = this.ledgers.get(key);
    if (!ledger) {
      ledger = generateLedger(this.seed, account.email, this.requireCustomer(email, customerId), this.today);
      this.ledgers.set(key, ledger);
    }
    return ledger;
  }

  statement(request: StatementRequest): StatementData {
    return buildStatement(this.ledger(request.account, request.customerId), request.startDate, request.endDate);
  }

  /** The PDF and what it prints; the same request and options always give the same bytes. */
  print(request: StatementRequest, options: PrintOptions = {}): Promise<PrintedStatement> {
    const key = [request.account, request.customerId, request.startDate, request.endDate, options.pageSize ?? 'A4'];
    const cacheKey = `${key.join('|')}|${options.inconsistent === true}`;
    let printed = this.printed.get(cacheKey);
    if (!printed) {
      printed = this.printUncached(request, options);
      this.printed.set(cacheKey, printed);
      printed.catch(() => this.printed.delete(cacheKey));
      if (this.printed.size > MAX_CACHED_PDFS) {
        const oldest = this.printed.keys().next().value;
        if (oldest !== undefined) this.printed.delete(oldest);
      }
    }
    return printed;
  }

  private async printUncached(request: StatementRequest, options: PrintOptions): Promise<PrintedStatement> {
    const account = this.requireAccount(request.account);
    const customer = this.requireCustomer(request.account, request.customerId);
    const honest = this.statement(request);
    const { statement, reference } = options.inconsistent ? withInconsistentRow(honest) : { statement: honest };
    const rendered = await renderStatementPdf({
      pharmacyName: account.pharmacyName,
      customerName: customer.name,
      statement,
      pageSize: options.pageSize,
    });
    return { ...rendered, account, customer, statement, ...(reference ? { inconsistentReference: reference } : {}) };
  }

  private requireAccount(email: string): Account {
    const account = this.account(email);
    if (!account) throw new UnknownEntityError(`unknown account ${email}`);
    return account;
  }

  private requireCustomer(email: string, customerId: string): SimCustomer {
    const customer = this.customer(email, customerId);
    if (!customer) throw new UnknownEntityError(`unknown customer ${customerId}`);
    return customer;
  }
}

export class UnknownEntityError extends Error {
  override name = 'UnknownEntityError';
}
