export type RejectionCode =
  | 'NOT_PDF'
  | 'ENCRYPTED'
  | 'CORRUPT'
  | 'TRUNCATED'
  | 'EMPTY'
  | 'NOT_A_STATEMENT'
  | 'TIMEOUT'
  | 'TOO_LARGE';

/** A document that will never parse, whatever the retries: the reason goes into `sobrus.statement.failed`. */
export class StatementRejected extends Error {
  readonly code: RejectionCode;
  constructor(code: RejectionCode, reason: string) {
    super(reason);
    this.name = 'StatementRejected';
    this.code = code;
  }
}
