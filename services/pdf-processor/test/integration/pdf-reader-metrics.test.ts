import { readFile } from 'node:fs/promises';
import type { ObjectStore } from '@pharma/shared/messaging';
import { type CapturedLogs, captureLogs, type TestNats } from '@pharma/testkit';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEmptyUpdate } from '../helpers/pdf-file.js';
import { type PdfProcessorUnderTest, startPdfProcessor } from '../helpers/pdf-service.js';
import { announcePdf, type StatementResults } from '../helpers/statement-events.js';

// Which text reader read each statement is counted on /metrics and logged, through the real service: object
// store in, parser thread, result event out.
const BUCKET = 'statement-pdfs';
const fixture = (name: string) => readFile(new URL(`../fixtures/${name}`, import.meta.url));

describe('pharma_pdf_reader_total', () => {
  let nats: TestNats;
  let app: FastifyInstance;
  let logs: CapturedLogs;
  let store: ObjectStore;
  let results: StatementResults;

  let service: PdfProcessorUnderTest;

  beforeAll(async () => {
    logs = captureLogs('pdf-processor');
    service = await startPdfProcessor({ bucket: BUCKET, env: { LOG_LEVEL: 'info' }, logger: logs.logger });
    ({ nats, app, store, results } = service);
  });

  afterAll(async () => service?.close());

  async function parseThroughService(clientKey: string, data: Uint8Array): Promise<string> {
    const name = `${clientKey}.pdf`;
    await store.putBlob({ name }, data);
    await announcePdf(nats, { bucket: BUCKET, name, data, clientKey, from: '2024-01-01', to: '2024-12-31' });
    return (await results.resultFor(clientKey)).subject;
  }

  /** The counter's value per `reader/declined` pair. */
  async function readerCounts(): Promise<Record<string, number>> {
    const body = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    const counts: Record<string, number> = {};
    for (const match of body.matchAll(/^pharma_pdf_reader_total\{(.*)\} (\d+)$/gm)) {
      const labels = Object.fromEntries([...match[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
      counts[`${labels.reader}/${labels.declined}`] = Number(match[2]);
    }
    return counts;
  }

  const readLogs = (clientKey: string) =>
    logs.lines().filter((line) => line.msg === 'statement text read' && line.clientKey === clientKey);

  it('counts a statement the fast path read, and one it left to pdfjs with the class of reason', async () => {
    const before = await readerCounts();
    const original = await fixture('totals-over-1000.pdf');
    expect(await parseThroughService('fast1', original)).toBe('sobrus.statement.parsed');
    // The same statement saved again by an editing tool (an incremental update): the fast path declines it.
    expect(await parseThroughService('updated1', appendEmptyUpdate(original))).toBe('sobrus.statement.parsed');
    const after = await readerCounts();
    expect((after['fast/none'] ?? 0) - (before['fast/none'] ?? 0)).toBe(1);
    expect((after['pdfjs/structure'] ?? 0) - (before['pdfjs/structure'] ?? 0)).toBe(1);

    expect(readLogs('fast1')).toEqual([expect.objectContaining({ level: 30, reader: 'fast' })]);
    expect(readLogs('fast1')[0]).not.toHaveProperty('fastPathDeclined');
    expect(readLogs('updated1')).toEqual([
      expect.objectContaining({
        level: 30,
        reader: 'pdfjs',
        declined: 'structure',
        fastPathDeclined: 'incremental update',
      }),
    ]);
  });

  it('counts nothing for a PDF no reader got to', async () => {
    const before = await readerCounts();
    expect(await parseThroughService('html1', new TextEncoder().encode('<html>session expired</html>'))).toBe(
      'sobrus.statement.failed',
    );
    expect(await readerCounts()).toEqual(before);
    expect(readLogs('html1')).toEqual([]);
  });
});
