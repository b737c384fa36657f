import { isMainThread } from 'node:worker_threads';
import { StatementRejected } from '../domain/statement-rejected.js';
import type { TextReader } from '../pdf/extract-text.js';
import { parseStatementPdf } from '../pdf/parse-pdf.js';
import type { ParseOutcome } from './parse-outcome.js';

// pdfjs leaves some internal promises of a broken document rejected with nobody listening; in a worker thread
// that would kill the thread. The failure itself reaches us through the awaited call, so these are noise.
if (!isMainThread) process.on('unhandledRejection', () => {});

/** This module, for the parser pool (the service imports it only to name it). */
export const PARSE_ENTRY = new URL(import.meta.url);

/** Runs in a pool thread: the event loop of the service never parses a PDF itself. */
export default async function parseInWorker({ data }: { data: Uint8Array }): Promise<ParseOutcome> {
  let reader: TextReader | undefined;
  const onReader = (chosen: TextReader) => {
    reader = chosen;
  };
  try {
    return { ok: true, statement: await parseStatementPdf(data, { onReader }), ...reader };
  } catch (error) {
    if (error instanceof StatementRejected) return { ok: false, code: error.code, reason: error.message, ...reader };
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, code: 'CORRUPT', reason: `the PDF could not be parsed: ${message.slice(0, 300)}`, ...reader };
  }
}
