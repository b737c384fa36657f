import { readFile } from 'node:fs/promises';
import type { ObjectStore } from '@pharma/shared/messaging';
import { eventually, type TestNats } from '@pharma/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PdfProcessorUnderTest, startPdfProcessor } from '../helpers/pdf-service.js';
import { announcePdf, type StatementResults } from '../helpers/statement-events.js';

const BUCKET = 'statement-pdfs';
const fixture = (name: string) => readFile(new URL(`../fixtures/${name}`, import.meta.url));

describe('sobrus.statement.pdf.ready consumer', () => {
  let nats: TestNats;
  let store: ObjectStore;
  let results: StatementResults;

  let service: PdfProcessorUnderTest;

  beforeAll(async () => {
    service = await startPdfProcessor({ bucket: BUCKET, env: { LOG_LEVEL: 'debug' } });
    ({ nats, store, results } = service);
  });

  afterAll(async () => service?.close());

  async function putAndAnnounce(name: string, data: Uint8Array, clientKey: string) {
    await store.putBlob({ name }, data);
    return announce(name, data, clientKey);
  }

  const announce = (name: string, data: Uint8Array, clientKey: string, downloadedAt = new Date()) =>
    announcePdf(nats, {
      bucket: BUCKET,
      name,
      data,
      clientKey,
      from: '2017-01-01',
      to: '2024-12-31',
      downloadedAt,
      correlationId: `corr-${clientKey}`,
    });

  const resultFor = (clientKey: string) => results.resultFor(clientKey);

  const objectGone = async (name: string) => {
    const info = await store.info(name);
    expect(info === null || info.deleted).toBe(true);
  };

  it('parses a statement from the object store, publishes the numbers, then deletes the object', async () => {
    const data = await fixture('totals-over-1000.pdf');
    const expected = JSON.parse(await fixture('totals-over-1000.json').then(String));
    const sha256 = await putAndAnnounce('client-1.pdf', data, 'client1');
    const event = await resultFor('client1');
    expect(event.subject).toBe('sobrus.statement.parsed');
    expect(event.payload).toMatchObject({
      jobId: 'job-1',
      pharmacyId: 'pharmacie@example.ma',
      sourceSha256: sha256,
      correlationId: 'corr-client1',
    });
    const statement = event.payload.statement as Record<string, unknown>;
    expect(statement).toMatchObject({
      openingBalance: expected.openingBalance,
      closingBalance: expected.closingBalance,
      computedClosingBalance: expected.computedClosingBalance,
      verdict: expected.verdict,
    });
    expect(statement.transactions).toEqual(expected.transactions);
    await eventually(() => objectGone('client-1.pdf'), { timeoutMs: 10_000 });
  });

  it('publishes a failure with a reason for a corrupt PDF, and deletes it too', async () => {
    const data = await fixture('totals-over-1000.pdf');
    const corrupt = new Uint8Array(data.subarray(0, Math.floor(data.byteLength / 2)));
    await putAndAnnounce('client-2.pdf', corrupt, 'client2');
    const event = await resultFor('client2');
    expect(event.subject).toBe('sobrus.statement.failed');
    expect(event.payload).toMatchObject({ code: 'TRUNCATED', clientKey: 'client2' });
    expect(String(event.payload.reason)).toMatch(/truncated/);
    await eventually(() => objectGone('client-2.pdf'), { timeoutMs: 10_000 });
  });

  it('rejects a file that is not a PDF', async () => {
    await putAndAnnounce('client-3.pdf', new TextEncoder().encode('<html>session expired</html>'), 'client3');
    const event = await resultFor('client3');
    expect(event).toMatchObject({ subject: 'sobrus.statement.failed', payload: { code: 'NOT_PDF' } });
  });

  it('leaves an object put again after its event (a retried download, other bytes) to the later event', async () => {
    const first = await fixture('totals-over-1000.pdf');
    const second = await fixture('header-repeated.pdf');
    const firstPut = await store.putBlob({ name: 'client-4.pdf' }, first);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const secondPut = await store.putBlob({ name: 'client-4.pdf' }, second);
    // The first download was announced before the second was put over it (same job, same name).
    const announcedAt = new Date((Date.parse(firstPut.mtime) + Date.parse(secondPut.mtime)) / 2);
    expect(announcedAt.getTime()).toBeLessThan(Date.parse(secondPut.mtime));
    await announce('client-4.pdf', first, 'client4', announcedAt);
    const sha256 = await announce('client-4.pdf', second, 'client4');
    const event = await resultFor('client4');
    expect(event).toMatchObject({ subject: 'sobrus.statement.parsed', payload: { sourceSha256: sha256 } });
    await eventually(() => objectGone('client-4.pdf'), { timeoutMs: 10_000 });
    // One parser thread takes the messages in order: the first one was settled before, without any event.
    expect(results.received.filter((message) => message.payload.clientKey === 'client4')).toHaveLength(1);
  });

  it('reports bytes that never matched their event, and keeps the object (another event may announce it)', async () => {
    const data = await fixture('totals-over-1000.pdf');
    await store.putBlob({ name: 'client-5.pdf' }, data);
    await announce('client-5.pdf', new TextEncoder().encode('other bytes'), 'client5');
    const event = await resultFor('client5');
    expect(event).toMatchObject({ subject: 'sobrus.statement.failed', payload: { code: 'CHECKSUM_MISMATCH' } });
    const info = await store.info('client-5.pdf');
    expect(info?.deleted).toBe(false);
  });
});
