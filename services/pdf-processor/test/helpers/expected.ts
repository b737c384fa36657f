import type { ParsedStatement } from '../../src/domain/statement.types.js';

/** What a fixture or the simulator's truth says a statement must parse to. */
export interface ExpectedStatement {
  openingBalance: number;
  closingBalance: number;
  computedClosingBalance: number;
  verdict: ParsedStatement['verdict'];
  pages: number;
  transactions: ParsedStatement['transactions'];
  /** Kind and reference of each expected anomaly (messages and line numbers are the parser's own). */
  anomalies: { kind: string; reference?: string }[];
}

/** The parsed statement reduced to what is compared with the expectation. */
export function comparable(statement: ParsedStatement): ExpectedStatement {
  return {
    openingBalance: statement.openingBalance,
    closingBalance: statement.closingBalance,
    computedClosingBalance: statement.computedClosingBalance,
    verdict: statement.verdict,
    pages: statement.pages,
    transactions: statement.transactions,
    anomalies: statement.anomalies.map((anomaly) => ({
      kind: anomaly.kind,
      ...(anomaly.reference === undefined ? {} : { reference: anomaly.reference }),
    })),
  };
}
