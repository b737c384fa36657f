// Shapes of the gateway's answers the app reads (the OpenAPI document at /docs/json is the reference).

export interface Principal {
  kind: 'pharmacy' | 'staff';
  owner: string;
  role: 'pharmacy' | 'ops' | 'admin';
  pharmacyId?: string;
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'partial' | 'failed' | 'cancelled';

export interface Job {
  id: string;
  kind: string;
  owner: string;
  status: JobStatus;
  progress: { done: number; total: number; stage: string; message?: string };
  result?: Record<string, unknown>;
  errors: { item: string; code: string; message: string }[];
  createdAt: string;
  updatedAt: string;
  cancelRequested?: boolean;
}

/** A statement the pdf-processor could not read, with its redacted layout dump (staff only). */
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

export type Verdict = 'ok' | 'ok_with_anomalies' | 'mismatch';

export interface Customer {
  clientKey: string;
  name: string;
  email: string | null;
  phone: string | null;
  balance: number | null;
  verdict: Verdict | null;
  lastPaymentDate: string | null;
}

export interface Page<T> {
  total: number;
  offset: number;
  items: T[];
}

export interface ProductLine {
  product: string;
  quantity: number;
  unitPrice: number;
  discount: number;
  discountedUnitPrice: number;
  total: number;
}

export interface Transaction {
  seq: number;
  date: string;
  reference: string;
  label: string;
  kind: 'sale' | 'payment' | 'return' | 'credit_note' | 'other';
  total: number;
  effect: number;
  balance: number;
  page: number;
  lines: ProductLine[];
}

export interface KindTotal {
  count: number;
  total: number;
  effect: number;
}

export interface StatementView {
  customer: Customer;
  statement: {
    from: string;
    to: string;
    openingBalance: number;
    closingBalance: number;
    computedClosingBalance: number;
    difference: number;
    verdict: Verdict;
  };
  transactions: Transaction[];
  anomalies: { kind: string; message: string; page?: number; reference?: string }[];
  periods: { from: string; to: string }[];
  totals: { sales: KindTotal; payments: KindTotal; creditNotes: KindTotal; returns: KindTotal; other: KindTotal };
}

export interface BalanceRow {
  clientKey: string;
  name: string;
  openingBalance: number | null;
  closingBalance: number | null;
  computedClosingBalance: number | null;
  difference: number | null;
  verdict: Verdict | null;
}

export interface AgeingFigures {
  days0to30: number;
  days31to60: number;
  days61to90: number;
  over90: number;
  outstanding: number;
  unappliedCredit: number;
  balance: number;
}

export interface AgeingView {
  asOf: string;
  overall: AgeingFigures;
  debtors: { clientKey: string; name: string; balance: number; lastPaymentDate: string | null }[];
}

export interface RegistryFile {
  id: number;
  filePath: string;
  status: 'NEW' | 'PROCESSING' | 'CREATED' | 'ERROR' | 'DELETE';
  dataProvider: string | null;
  reportYear: number | null;
  reportMonth: number | null;
  clientName: string | null;
  reportType: string | null;
  errorReason: string | null;
}

export interface Count {
  key: string;
  count: number;
}

export interface ReportKey {
  dataProvider: string;
  clientName: string;
  reportType: string;
}

export interface Completeness {
  month: string;
  deadline: string;
  overdue: boolean;
  expected: number;
  received: (ReportKey & { arrivedAt: string })[];
  missing: ReportKey[];
  late: (ReportKey & { arrivedAt: string })[];
}

export interface SalesAnalyses {
  totalRevenue: number;
  revenuePerCity: { ville: string; chiffreAffaires: number }[];
  quantityPerProduct: { nom: string; chiffreAffaires: number }[];
  revenuePerMonth: { mois: string; chiffreAffaires: number }[];
}

export interface OrchestratorRun {
  id: string;
  trigger: string;
  status: string;
  startedAt: string;
  completedAt: string | null;
  counts: Record<string, number>;
  error: string | null;
}

export interface OrchestratorTaskRun {
  id: number;
  filePath: string;
  attempt: number;
  status: string;
  reason: string | null;
  detail: string | null;
  durationMs: number | null;
}
