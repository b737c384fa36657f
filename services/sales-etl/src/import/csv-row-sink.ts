import { Parser } from 'csv-parse';

export interface RawText {
  /** The text of the record being handled, as it was in the input. */
  currentRaw(): string;
}

export interface RowHandlers {
  /** Every record in order (the first one is the header) with the line it ends on; `source` gives its text. */
  onRecord(record: string[], line: number, source: RawText): void;
  /** Text that is not a valid CSV record (for example a quote never closed), with the reason. */
  onMalformed(raw: string, line: number, message: string): void;
}

interface Chunk {
  start: number;
  bytes: Buffer;
}

/**
 * csv-parse's streaming parser, with records handed straight to a callback instead of being queued on the
 * readable side: the per-row cost of object-mode streams is most of the parse time on large files.
 * The raw text of a record is cut from the input only when asked for (rejected rows), using the byte
 * offsets csv-parse reports, instead of csv-parse's `raw` option, which copies every byte of every record.
 */
export class CsvRowSink extends Parser implements RawText {
  private readonly handlers: RowHandlers;
  failure: Error | undefined;
  private lastLine = 0;
  private chunks: Chunk[] = [];
  private received = 0;
  private recordStart = 0;

  constructor(delimiter: string, handlers: RowHandlers) {
    super({
      delimiter,
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
    });
    this.handlers = handlers;
    this.on('skip', (error: Error | undefined) => {
      // csv-parse reports where the bad text ends; the record started on the line after the previous one.
      const line = this.lastLine + 1;
      this.lastLine = this.info.lines;
      // An unclosed quote runs to the end of the input; other errors stop at csv-parse's current position.
      const unclosed = (error as { code?: string } | undefined)?.code === 'CSV_QUOTE_NOT_CLOSED';
      const end = unclosed || this.info.bytes <= this.recordStart ? this.received : this.info.bytes;
      const raw = this.textBetween(this.recordStart, end);
      this.recordStart = end;
      this.guard(() => handlers.onMalformed(raw, line, error?.message ?? 'malformed record'));
    });
    this.on('error', (error: Error) => {
      this.failure ??= error;
    });
    // Nothing is queued on the readable side; flowing mode lets 'end' fire.
    this.resume();
  }

  override _transform(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as unknown as string, encoding);
    this.chunks.push({ start: this.received, bytes });
    this.received += bytes.length;
    while (this.chunks.length > 1 && this.chunks[0]!.start + this.chunks[0]!.bytes.length <= this.recordStart) {
      this.chunks.shift();
    }
    super._transform(bytes, encoding, callback);
  }

  override push(chunk: unknown): boolean {
    if (chunk === null) return super.push(null);
    this.lastLine = this.info.lines;
    this.guard(() => this.handlers.onRecord(chunk as string[], this.lastLine, this));
    this.recordStart = this.info.bytes;
    return true;
  }

  currentRaw(): string {
    return this.textBetween(this.recordStart, this.info.bytes);
  }

  private textBetween(from: number, to: number): string {
    const parts: Buffer[] = [];
    for (const { start, bytes } of this.chunks) {
      const end = start + bytes.length;
      if (end <= from || start >= to) continue;
      parts.push(bytes.subarray(Math.max(0, from - start), Math.min(bytes.length, to - start)));
    }
    return Buffer.concat(parts).toString('utf8');
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
