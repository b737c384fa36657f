import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import iconv from 'iconv-lite';
import {
  charsetFromContentType,
  type Delimiter,
  detectDelimiter,
  detectEncoding,
  type TextEncoding,
} from '../domain/format-detection.js';
import { DownloadError } from '../fetch/download-error.js';
import { CsvRowSink, type RowHandlers } from './csv-row-sink.js';

export type { RowHandlers };

export interface ReadCsvOptions {
  contentType?: string | undefined;
  contentLength?: number | undefined;
  maxBytes: number;
  /** Called about once a second with the bytes read so far; may throw to stop (cancellation). */
  checkpoint?: (bytes: number) => Promise<void>;
}

export interface ReadCsvResult {
  bytes: number;
  encoding: TextEncoding;
  delimiter: Delimiter;
}

const SAMPLE_BYTES = 64 * 1024;

/** Streams a CSV body into row handlers, detecting its encoding and delimiter from the first 64 KiB. */
export async function readCsv(
  body: AsyncIterable<Buffer>,
  options: ReadCsvOptions,
  handlers: RowHandlers,
): Promise<ReadCsvResult> {
  let bytes = 0;
  let sample: Buffer[] = [];
  let sampleBytes = 0;
  let sink: CsvRowSink | undefined;
  let decode: ((chunk: Buffer) => string | Buffer) | undefined;
  let format: { encoding: TextEncoding; delimiter: Delimiter } | undefined;
  let nextCheckpoint = Date.now() + 1_000;

  const start = (complete: boolean) => {
    const head = Buffer.concat(sample);
    const encoding = detectEncoding(head, complete, charsetFromContentType(options.contentType));
    const decoder = encoding === 'utf-8' ? undefined : iconv.getDecoder(encoding);
    const text = decoder ? iconv.decode(head, encoding) : head.toString('utf8');
    const delimiter = detectDelimiter(text.replace(/^\uFEFF/, ''));
    format = { encoding, delimiter };
    sink = new CsvRowSink(delimiter, handlers);
    decode = decoder ? (chunk) => decoder.write(chunk) : (chunk) => chunk;
    sample = [];
    return write(head);
  };

  const write = async (chunk: Buffer) => {
    if (!sink || !decode) return;
    const data = decode(chunk);
    if (data.length > 0 && !sink.write(data)) await once(sink, 'drain');
    if (sink.failure) throw sink.failure;
  };

  for await (const chunk of body) {
    bytes += chunk.length;
    if (bytes > options.maxBytes) throw new DownloadError('TOO_LARGE', `file exceeds ${options.maxBytes} bytes`, false);
    if (sink) await write(chunk);
    else {
      sample.push(chunk);
      sampleBytes += chunk.length;
      if (sampleBytes >= SAMPLE_BYTES) await start(false);
    }
    if (options.checkpoint && Date.now() >= nextCheckpoint) {
      nextCheckpoint = Date.now() + 1_000;
      await options.checkpoint(bytes);
    }
  }
  if (options.contentLength !== undefined && bytes !== options.contentLength) {
    throw new DownloadError('TRUNCATED', `received ${bytes} of ${options.contentLength} bytes`, true);
  }
  if (!sink) await start(true);
  const parser = sink!;
  parser.end();
  await finished(parser);
  if (parser.failure) throw parser.failure;
  return { bytes, ...format! };
}
