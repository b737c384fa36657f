import { createHash, randomUUID } from 'node:crypto';
import { AckPolicy } from '@nats-io/jetstream';
import {
  deleteObjectRevision,
  EVENTS,
  ensureStreams,
  type ObjectStore,
  objectStoreLayout,
  openObjectStore,
  publishEvent,
} from '@pharma/shared/messaging';
import { captureLogs, createTestNats, type TestNats } from '@pharma/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { STATEMENT_PDF_READY_DURABLE } from '../../src/consumers/statement-pdf-ready.consumer.js';
import { type ObjectSweepDeps, sweepStatementObjects } from '../../src/services/object-sweep.service.js';

const READY = 'sobrus.statement.pdf.ready';
const GRACE_MS = 30 * 60_000;
const pdf = (text: string) => new TextEncoder().encode(`%PDF-1.7 ${text} %%EOF`);
const text = (data: Uint8Array | null) => (data ? new TextDecoder().decode(data) : null);

// The sweep against a real NATS: each test has a NATS prefix (streams), a bucket and a durable consumer of its own
// standing for the pdf-processor's, which the test moves by hand (nothing parses here), so what is pending is exactly known.
describe('sweep of the statements bucket', () => {
  let nats: TestNats;
  let store: ObjectStore;
  let bucket: string;
  let durable: string;
  const stream = () => nats.ctx.resource(EVENTS[READY].stream);

  beforeEach(async () => {
    nats = await createTestNats();
    await ensureStreams(nats.ctx, ['SOBRUS']);
    bucket = `statements-${randomUUID().slice(0, 8)}`;
    durable = `pdf-${randomUUID().slice(0, 8)}`;
    store = await openObjectStore(nats.ctx, bucket);
    await nats.ctx.jsm.consumers.add(stream(), {
      durable_name: nats.ctx.resource(durable),
      ack_policy: AckPolicy.Explicit,
      filter_subject: nats.ctx.subject(READY),
    });
  });
  afterEach(async () => {
    await nats?.cleanup();
  });

  /** A sweep run as if `aheadMs` later: objects put now are that old. */
  const sweep = (aheadMs: number, overrides: Partial<ObjectSweepDeps> = {}) =>
    sweepStatementObjects({
      nats: nats.ctx,
      bucket,
      durable,
      graceMs: GRACE_MS,
      now: () => Date.now() + aheadMs,
      ...overrides,
    });

  const announce = async (name: string, data: Uint8Array, targetBucket = bucket) => {
    const sha256 = createHash('sha256').update(data).digest('hex');
    await publishEvent(
      nats.ctx,
      READY,
      {
        jobId: 'job-1',
        pharmacyId: 'pharmacie@example.ma',
        clientKey: name.replaceAll(/[^0-9A-Za-z]/g, '') || 'k',
        customerName: 'Amine Tazi',
        from: '2017-01-01',
        to: '2026-12-03',
        object: { bucket: targetBucket, name, size: data.byteLength, sha256 },
        downloadedAt: new Date().toISOString(),
      },
      { msgId: `ready-${randomUUID()}` },
    );
  };

  /** What the pdf-processor does once it is done with the oldest pending message: acknowledge it. */
  const handleNext = async () => {
    const consumer = await nats.ctx.js.consumers.get(stream(), nats.ctx.resource(durable));
    const message = await consumer.next({ expires: 5_000 });
    if (!message) throw new Error('no pending message');
    await message.ackAck();
  };

  const names = async () => (await store.list()).map((info) => info.name).sort();

  it('removes an old object no message refers to, keeps one a pending message names, and young ones', async () => {
    await store.putBlob({ name: 'orphan.pdf' }, pdf('orphan'));
    await store.putBlob({ name: 'pending.pdf' }, pdf('pending'));
    await announce('pending.pdf', pdf('pending'));

    const young = await sweep(0);
    expect(young).toMatchObject({ deleted: 0, young: 2, entries: 2, pendingMessages: 1 });

    const old = await sweep(GRACE_MS + 60_000);
    expect(old).toMatchObject({ deleted: 1, referenced: 1, young: 0, referencesUnknown: false });
    expect(await names()).toEqual(['pending.pdf']);
    expect(text(await store.getBlob('pending.pdf'))).toBe(text(pdf('pending')));
  });

  it('frees a name once its message is acknowledged (past the ack floor), not before', async () => {
    await store.putBlob({ name: 'parsed.pdf' }, pdf('parsed'));
    await announce('parsed.pdf', pdf('parsed'));
    await store.putBlob({ name: 'waiting.pdf' }, pdf('waiting'));
    await announce('waiting.pdf', pdf('waiting'));
    expect(await sweep(GRACE_MS * 2)).toMatchObject({ deleted: 0, referenced: 2, pendingMessages: 2 });

    // The processor parsed the first one but its delete never ran (killed in between).
    await handleNext();
    expect(await sweep(GRACE_MS * 2)).toMatchObject({ deleted: 1, referenced: 1, pendingMessages: 1 });
    expect(await names()).toEqual(['waiting.pdf']);
  });

  it('counts a message for another bucket as no reference to this one', async () => {
    await store.putBlob({ name: 'same-name.pdf' }, pdf('x'));
    await announce('same-name.pdf', pdf('x'), 'another-bucket');
    expect(await sweep(GRACE_MS * 2)).toMatchObject({ deleted: 1, pendingMessages: 1 });
  });

  it('deletes nothing while a pending message cannot be read', async () => {
    await store.putBlob({ name: 'orphan.pdf' }, pdf('orphan'));
    await nats.ctx.js.publish(nats.ctx.subject(READY), 'not json');
    expect(await sweep(GRACE_MS * 2)).toMatchObject({ deleted: 0, referencesUnknown: true });
    expect(await names()).toEqual(['orphan.pdf']);
    await handleNext();
    expect(await sweep(GRACE_MS * 2)).toMatchObject({ deleted: 1, referencesUnknown: false });
  });

  it('drops old deletion markers, and chunks that no object owns (a put cut short)', async () => {
    await store.putBlob({ name: 'parsed.pdf' }, pdf('parsed'));
    await store.delete('parsed.pdf');
    await store.putBlob({ name: 'live.pdf' }, pdf('live'));
    const layout = objectStoreLayout(nats.ctx, bucket);
    // The chunks of a put whose meta message never landed (NATS went away in between).
    await nats.ctx.js.publish(layout.chunkSubject('cutshortnuid0000000000'), pdf('half'));
    expect(await sweep(0)).toMatchObject({ markersDropped: 0, chunkSetsPurged: 0 });

    const result = await sweep(GRACE_MS * 2, { durable });
    expect(result).toMatchObject({ markersDropped: 1, chunkSetsPurged: 1, deleted: 1 });
    // Left: the marker of the object this sweep deleted (young, its turn comes in a later sweep).
    const info = await nats.ctx.jsm.streams.info(layout.stream, { subjects_filter: '>' });
    expect(Object.keys(info.state.subjects ?? {})).toEqual([layout.metaSubject('live.pdf')]);
    expect(await store.info('parsed.pdf')).toBeNull();
  });

  it('never deletes a version put after the sweep looked (the delete is conditional on the revision)', async () => {
    const first = await store.putBlob({ name: 'retried.pdf' }, pdf('first download'));
    const second = await store.putBlob({ name: 'retried.pdf' }, pdf('second download'));
    expect(second.revision).toBeGreaterThan(first.revision);
    expect(await deleteObjectRevision(nats.ctx, bucket, first)).toBe('changed');
    expect(text(await store.getBlob('retried.pdf'))).toBe(text(pdf('second download')));
    expect(await deleteObjectRevision(nats.ctx, bucket, second)).toBe('deleted');
    expect((await store.info('retried.pdf'))?.deleted).toBe(true);
    expect(await store.getBlob('retried.pdf')).toBeNull();
    // A name put again after its deletion marker was judged keeps its new version too.
    await store.putBlob({ name: 'retried.pdf' }, pdf('third download'));
    expect(await deleteObjectRevision(nats.ctx, bucket, second)).toBe('changed');
    expect(text(await store.getBlob('retried.pdf'))).toBe(text(pdf('third download')));
  });

  it('stops at once when its signal aborts (the service closing), leaving the bucket as it was', async () => {
    await store.putBlob({ name: 'orphan.pdf' }, pdf('orphan'));
    await expect(sweep(GRACE_MS * 2, { signal: AbortSignal.abort() })).rejects.toThrow(/abort/i);
    expect(await names()).toEqual(['orphan.pdf']);
  });

  it('has nothing to do before the bucket exists', async () => {
    expect(await sweep(GRACE_MS * 2, { bucket: 'never-created' })).toMatchObject({ entries: 0, deleted: 0 });
  });

  it('runs in the service once it is ready, and on demand', async () => {
    const logs = captureLogs('pdf-processor');
    const app = await buildApp(
      loadConfig({ NATS_URL: nats.url, NATS_PREFIX: nats.prefix, PDF_PROCESSOR_THREADS: '1', LOG_LEVEL: 'debug' }),
      logs.logger,
    );
    try {
      const statements = await openObjectStore(nats.ctx, 'statements');
      await statements.putBlob({ name: 'just-put.pdf' }, pdf('young'));
      await app.ready();
      const result = await app.sweepObjects();
      expect(result).toMatchObject({ entries: 1, young: 1, deleted: 0 });
      expect(logs.lines().some((line) => String(line.msg).startsWith('statements bucket swept'))).toBe(true);
      const metrics = await app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.body).toMatch(/pharma_pdf_sweep_runs_total\{outcome="ok"\} [1-9]/);
      expect(STATEMENT_PDF_READY_DURABLE).toBe('pdf-processor-statements');
    } finally {
      await app.close();
    }
  });
});
