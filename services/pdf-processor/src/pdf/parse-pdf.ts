import { parseStatementPages } from '../domain/statement.parser.js';
import type { ParsedStatement } from '../domain/statement.types.js';
import { StatementRejected } from '../domain/statement-rejected.js';
import { type ExtractOptions, extractText } from './extract-text.js';

const PDF_MAGIC = '%PDF-';
const EOF_MARKER = '%%EOF';

/**
 * Parses statement PDF bytes, or throws StatementRejected saying why the file can never be parsed. `onReader` is
 * told which text reader reads the file (not called when the file is rejected before any reader sees it).
 */
export async function parseStatementPdf(
  data: Uint8Array,
  options: Pick<ExtractOptions, 'onReader'> = {},
): Promise<ParsedStatement> {
  checkEnvelope(data);
  let pages: Awaited<ReturnType<typeof extractText>>['pages'];
  try {
    ({ pages } = await extractText(data, options));
  } catch (error) {
    throw classifyPdfJsError(error);
  }
  return parseStatementPages(pages);
}

/** Cheap checks before pdfjs: an empty body, another format, or a download cut short. */
function checkEnvelope(data: Uint8Array): void {
  if (data.byteLength === 0) throw new StatementRejected('EMPTY', 'the file is empty');
  const head = Buffer.from(data.buffer, data.byteOffset, Math.min(data.byteLength, 1024)).toString('latin1');
  if (!head.includes(PDF_MAGIC)) throw new StatementRejected('NOT_PDF', 'the file is not a PDF (no %PDF- header)');
  const tailStart = Math.max(0, data.byteLength - 2048);
  const tail = Buffer.from(data.buffer, data.byteOffset + tailStart, data.byteLength - tailStart).toString('latin1');
  // Every complete PDF ends with %%EOF; without it the download was cut short and pages may be missing.
  if (!tail.includes(EOF_MARKER)) throw new StatementRejected('TRUNCATED', 'the PDF is truncated (no %%EOF marker)');
}

function classifyPdfJsError(error: unknown): StatementRejected {
  if (error instanceof StatementRejected) return error;
  const name = (error as { name?: string })?.name ?? '';
  const message = String((error as { message?: string })?.message ?? error).slice(0, 300);
  if (name === 'PasswordException') return new StatementRejected('ENCRYPTED', 'the PDF is password-protected');
  if (name === 'InvalidPDFException') return new StatementRejected('CORRUPT', `invalid PDF structure: ${message}`);
  return new StatementRejected('CORRUPT', `the PDF could not be read: ${message}`);
}
