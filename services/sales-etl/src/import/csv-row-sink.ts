import { Parser } from 'csv-parse';

export interface RowHandlers {
  /** Every record in order (the first one is the header), with its raw text and the line it ends on. */
  onRecord(record: string[], raw: string, line: number): void;
  /** Text that is not a valid CSV record (for example a stray quote), with the reason. */
  onMalformed(raw: string, line: number, message: string): void;
}

/**
 * csv-parse's streaming parser, with records handed straight to a callback instead of being queued on the
 * readable side: the per-row cost of object-mode streams is most of the parse time on large files.
 */
export class CsvRowSink extends Parser {
  private readonly handlers: RowHandlers;
  failure: Error | undefined;
  private lastLine = 0;

  constructor(delimiter: string, handlers: RowHandlers) {
    super({
      delimiter,
      bom: true,
      raw: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
    });
    this.handlers = handlers;
    this.on('skip', (error: Error | undefined, raw: string | undefined) => {
      // csv-parse reports where the bad text ends; the record started on the line after the previous one.
      const line = this.lastLine + 1;
      this.lastLine = this.info.lines;
      this.guard(() => handlers.onMalformed(raw ?? '', line, error?.message ?? 'malformed record'));
    });
    // Nothing is queued on the readable side; flowing mode lets 'end' fire.
    this.resume();
  }

  override push(chunk: unknown): boolean {
    if (chunk === null) return super.push(null);
    const { record, raw } = chunk as { record: string[]; raw: string };
    this.lastLine = this.info.lines;
    this.guard(() => this.handlers.onRecord(record, raw, this.lastLine));
    return true;
  }

  private guard(action: () => void): void {
    if (this.failure) return;
    try {
      action();
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
    }
  }
}
