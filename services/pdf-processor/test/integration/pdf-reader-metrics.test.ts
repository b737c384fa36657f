import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Msg, Subscription } from '@nats-io/nats-core';
import { type ObjectStore, openObjectStore, publishEvent } from '@pharma/shared/messaging';
import { type CapturedLogs, captureLogs, createTestNats, eventually, type TestNats } from '@pharma/testkit';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';

// Which text reader read each statement is counted on /metrics and logged, through the real service: object
// store in, parser thread, result event out.
const BUCKET = 'statement-pdfs';
const fixture = (name: string) => readFile(new URL(`../fixtures/${name}`, import.meta.url));

describe('pharma_pdf_reader_total', () => {
  let nats: TestNats;
  let app: FastifyInstance;
  let logs: CapturedLogs;
  let store: ObjectStore;
  let subscription: Subscription;
  const results = new Map<string, string>();

  beforeAll(async () => {
    nats = await createTestNats();
    logs = captureLogs('pdf-processor');
    app = await buildApp(
      loadConfig({ NATS_URL: nats.url, NATS_PREFIX: nats.prefix, PDF_PROCESSOR_THREADS: '1', LOG_LEVEL: 'info' }),
      logs.logger,
    );
    await app.ready();
    store = await openObjectStore(nats.ctx, BUCKET);
    subscription = nats.ctx.nc.subscribe(nats.ctx.subject('sobrus.statement.*'), {
      callback: (_error: Error | null, msg: Msg) => {
        const subject = msg.subject.slice(nats.prefix.length + 1);
        if (subject !== 'sobrus.statement.parsed' && subject !== 'sobrus.statement.failed') return;
        results.set(String(msg.json<{ clientKey: string }>().clientKey), subject);
      },
    });
  });

  afterAll(async () => {
    subscription?.unsubscribe();
    await app?.close();
    await nats?.cleanup();
  });

  async function parseThroughService(clientKey: string, data: Uint8Array): Promise<string> {
    const name = `${clientKey}.pdf`;
    await store.putBlob({ name }, data);
    const sha256 = createHash('sha256').update(data).digest('hex');
    await publishEvent(
      nats.ctx,
      'sobrus.statement.pdf.ready',
      {
        jobId: 'job-1',
        pharmacyId: 'pharmacie@example.ma',
        clientKey,
        customerName: 'Amine Tazi',
        from: '2024-01-01',
        to: '2024-12-31',
        object: { bucket: BUCKET, name, size: data.byteLength, sha256 },
        downloadedAt: new Date().toISOString(),
      },
      { msgId: `ready-${clientKey}-${sha256}` },
    );
    return eventually(
      () => {
        const subject = results.get(clientKey);
        if (!subject) throw new Error('no result yet');
        return subject;
      },
      { timeoutMs: 30_000 },
    );
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

/** The same document with an (empty) incremental update appended, as an editing tool would save it. */
function appendEmptyUpdate(pdf: Uint8Array): Uint8Array {
  const text = Buffer.from(pdf).toString('latin1');
  const previous = Number(/startxref\s+(\d+)/.exec(text.slice(text.lastIndexOf('startxref')))![1]);
  const trailer = /trailer\s*(<<[\s\S]*?>>)\s*startxref/.exec(text)![1]!.replace(/\/ID\s*\[[^\]]*\]/, '');
  const update = `xref\n0 0\ntrailer\n${trailer.replace(/>>$/, `/Prev ${previous} >>`)}\nstartxref\n${pdf.length}\n%%EOF\n`;
  return Buffer.concat([pdf, Buffer.from(update, 'latin1')]);
}
