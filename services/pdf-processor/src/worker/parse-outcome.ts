import type { ParsedStatement } from '../domain/statement.types.js';
import type { RejectionCode } from '../domain/statement-rejected.js';
import type { TextReader } from '../pdf/extract-text.js';

/**
 * What a parser thread answers. `via`, `fastPathDeclined` and `fastPathDeclinedKind` say which text reader read
 * the PDF; they are absent when no reader got to it (rejected before, or the thread timed out or died).
 */
export type ParseOutcome = (
  | { ok: true; statement: ParsedStatement }
  | { ok: false; code: RejectionCode; reason: string }
) &
  Partial<TextReader>;
