import type { ParsedStatement } from '../domain/statement.types.js';
import type { RejectionCode } from '../domain/statement-rejected.js';

export type ParseOutcome =
  | { ok: true; statement: ParsedStatement }
  | { ok: false; code: RejectionCode; reason: string };
