import type { Log } from '@pharma/shared/logger';
import { counter } from '@pharma/shared/metrics';
import { DECLINE_KINDS, type DeclineKind } from '../pdf/fast/syntax.js';
import type { ParseOutcome } from '../worker/parse-outcome.js';

const readerTotal = () =>
  counter(
    'pharma_pdf_reader_total',
    'Statement PDFs by the text reader that read them (fast, pdfjs) and the class of reason the fast path declined ' +
      'them for (none when it read them)',
    ['reader', 'declined'],
  );

/**
 * Counts and logs which text reader read each parsed or rejected statement, and why the fast path left it to
 * pdfjs. Label values stay few: the reader, and the decline as one of DECLINE_KINDS (the full reason is logged).
 * Nothing is recorded when no reader got to the PDF (rejected before, or the parser thread timed out or died).
 */
export function createPdfReaderRecorder(): (outcome: ParseOutcome, log: Log) => void {
  const total = readerTotal();
  return (outcome, log) => {
    if (!outcome.via) return;
    const reader = outcome.via === 'fast' ? 'fast' : 'pdfjs';
    const declined = reader === 'fast' ? 'none' : declineClass(outcome.fastPathDeclinedKind);
    total.inc({ reader, declined });
    if (reader === 'fast') log.info({ reader }, 'statement text read');
    else log.info({ reader, declined, fastPathDeclined: outcome.fastPathDeclined }, 'statement text read');
  };
}

/** A class from the fixed set whatever the thread sent; `none` when the fast path was not tried. */
function declineClass(kind: DeclineKind | undefined): DeclineKind | 'none' {
  if (kind === undefined) return 'none';
  return DECLINE_KINDS.includes(kind) ? kind : 'error';
}
