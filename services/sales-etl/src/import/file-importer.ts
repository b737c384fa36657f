import { type FileKind, mapHeaders } from '../domain/header-mapping.js';
import {
  type RejectReason,
  type RowReject,
  type ValidationContext,
  validateProduct,
  validateSale,
  validateStore,
} from '../domain/row-validation.js';
import { type ReadCsvOptions, type ReadCsvResult, readCsv } from './csv-reader.js';
import type { RawText } from './csv-row-sink.js';
import { InvalidFileError } from './import-errors.js';
import type { SalesWriter } from './sales-writer.js';

export interface FileCounts {
  read: number;
  inserted: number;
  duplicates: number;
  rejected: number;
}

export interface FileImportInput {
  runId: string;
  kind: FileKind;
  url: string;
  body: AsyncIterable<Buffer>;
  read: ReadCsvOptions;
}

/** Parses, validates and writes one file inside the caller's transaction. */
export async function importFile(
  input: FileImportInput,
  writer: SalesWriter,
  ctx: ValidationContext,
): Promise<FileCounts & ReadCsvResult> {
  const { runId, kind, url } = input;
  const counts: FileCounts = { read: 0, inserted: 0, duplicates: 0, rejected: 0 };
  let indexes: number[] | undefined;
  let width = 0;
  const values: unknown[] = [];

  const rejectRow = (line: number, raw: string, reason: RejectReason, message: string) => {
    // Only rejected rows pay for their raw text.
    counts.rejected++;
    writer.addReject(runId, kind, url, line, stripLineEnd(raw), reason, message);
  };

  const onRecord = (record: string[], line: number, source: RawText) => {
    if (!indexes) {
      const mapping = mapHeaders(kind, record);
      if (!mapping.ok) {
        const problems = [
          ...mapping.missing.map((column) => `missing column ${column}`),
          ...mapping.ambiguous.map((column) => `several columns could be ${column}`),
        ];
        throw new InvalidFileError(
          `${kind} file header "${stripLineEnd(source.currentRaw())}": ${problems.join(', ')}`,
        );
      }
      indexes = mapping.indexes;
      width = record.length;
      return;
    }
    counts.read++;
    if (record.length !== width) {
      rejectRow(line, source.currentRaw(), 'COLUMN_COUNT', `${record.length} fields where the header has ${width}`);
      return;
    }
    let problem: RowReject | undefined;
    if (kind === 'sales') {
      problem = validateSale(record, indexes, ctx, writer.pending);
      if (!problem) counts.inserted += writer.writeFullBatch();
    } else {
      values.length = 0;
      if (kind === 'products') {
        problem = validateProduct(record, indexes, values);
        if (!problem) {
          if (writer.addProduct(values)) {
            counts.inserted++;
            ctx.refs.productPrices.set(values[0] as number, values[2] as number);
          } else counts.duplicates++;
        }
      } else {
        problem = validateStore(record, indexes, values);
        if (!problem) {
          if (writer.addStore(values)) {
            counts.inserted++;
            ctx.refs.stores.add(values[0] as number);
          } else counts.duplicates++;
        }
      }
    }
    if (problem) rejectRow(line, source.currentRaw(), problem.reason, problem.message);
  };

  const onMalformed = (raw: string, line: number, message: string) => {
    counts.read++;
    rejectRow(line, raw, 'MALFORMED_CSV', message);
  };

  const format = await readCsv(input.body, input.read, { onRecord, onMalformed });
  if (!indexes) throw new InvalidFileError(`${kind} file is empty (no header line)`);
  if (kind === 'sales') {
    counts.inserted += writer.flushSales();
    counts.duplicates = counts.read - counts.rejected - counts.inserted;
  }
  return { ...counts, ...format };
}

// csv-parse's raw text of a record keeps the line breaks around it (a CR of CRLF, a skipped empty line).
const stripLineEnd = (raw: string) => raw.replace(/^[\r\n]+|[\r\n]+$/g, '');
