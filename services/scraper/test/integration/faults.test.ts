import { createHash } from 'node:crypto';
import { openObjectStore } from '@pharma/shared/messaging';
import { DEMO_ACCOUNT } from '@pharma/sobrus-sim';
import { collectEvents, type EventCollector, finishedJob } from '@pharma/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginDemoPharmacy, refreshCustomers, requestStatements, type Stack, startStack } from '../helpers.js';

const FROM = '2026-04-01';
const TO = '2026-06-29';

describe('customers and statements under faults (5xx, dropped connections, expiring sessions), two scrapers', () => {
  let stack: Stack;
  let extracted: EventCollector<'sobrus.clients.extracted'>;
  let ready: EventCollector<'sobrus.statement.pdf.ready'>;
  let failedEvents: EventCollector<'sobrus.statement.failed'>;
  const email = DEMO_ACCOUNT.email;

  beforeAll(async () => {
    stack = await startStack({
      faults: { http500Rate: 0.1, dropRate: 0.05, sessionMaxRequests: 50 },
      scraperInstances: 2,
      scraperEnv: { SCRAPER_BACKOFF_BASE_MS: '20', SCRAPER_BACKOFF_MAX_MS: '200' },
    });
    extracted = await collectEvents(stack.nats.ctx, 'sobrus.clients.extracted');
    ready = await collectEvents(stack.nats.ctx, 'sobrus.statement.pdf.ready');
    failedEvents = await collectEvents(stack.nats.ctx, 'sobrus.statement.failed');
    await loginDemoPharmacy(stack);
  });
  afterAll(async () => {
    await extracted?.stop();
    await ready?.stop();
    await failedEvents?.stop();
    await stack?.close();
  });

  it('still collects all 259 customers, each once', async () => {
    const job = await refreshCustomers(stack, email);
    expect(job.status).toBe('succeeded');
    expect(job.result).toMatchObject({ customers: 259, path: 'api' });
    expect(Number(job.result?.retries)).toBeGreaterThan(0);
    const truthKeys = stack.sim.truth
      .customers(email)
      .map((c) => c.clientKey)
      .sort();
    await expect.poll(() => extracted.received.length).toBe(1);
    const keys = extracted.received[0]?.customers.map((c) => c.clientKey).sort();
    expect(keys).toEqual(truthKeys);
  });

  it('downloads every statement once, with sessions renewed on the way, and stores verified PDFs', async () => {
    const jobId = await requestStatements(stack, { pharmacyId: email, from: FROM, to: TO });
    const job = await finishedJob(stack.jobs, jobId, { timeoutMs: 120_000 });
    expect(job.errors).toEqual([]);
    expect(job.status).toBe('succeeded');
    expect(job.result).toMatchObject({ customers: 259, downloaded: 259, failed: 0 });
    expect(Number(job.result?.sessionRenewals)).toBeGreaterThan(0);
    await expect.poll(() => ready.received.filter((e) => e.jobId === jobId).length, { timeout: 10_000 }).toBe(259);
    const events = ready.received.filter((e) => e.jobId === jobId);
    const truthKeys = stack.sim.truth
      .customers(email)
      .map((c) => c.clientKey)
      .sort();
    expect(events.map((e) => e.clientKey).sort()).toEqual(truthKeys);
    const store = await openObjectStore(stack.nats.ctx, 'statements');
    for (const event of events.slice(0, 5)) {
      const data = await store.getBlob(event.object.name);
      expect(data).not.toBeNull();
      expect(
        createHash('sha256')
          .update(data as Uint8Array)
          .digest('hex'),
      ).toBe(event.object.sha256);
      expect(
        Buffer.from(data as Uint8Array)
          .subarray(0, 5)
          .toString('latin1'),
      ).toBe('%PDF-');
    }
  }, 240_000);

  it('reports a corrupt PDF as a per-customer error, never as a file', async () => {
    const [victim, healthy] = stack.sim.truth.customers(email);
    stack.sim.faults.set({ corruptPdfCustomers: [victim?.clientKey as string] });
    const jobId = await requestStatements(stack, {
      pharmacyId: email,
      from: FROM,
      to: TO,
      clientKeys: [victim?.clientKey as string, healthy?.clientKey as string, 'no-such-key'],
    });
    const job = await finishedJob(stack.jobs, jobId, { timeoutMs: 50_000 });
    expect(job.result).toMatchObject({ downloaded: 1 });
    expect(job.errors.map((e) => [e.item, e.code]).sort()).toEqual(
      [
        [victim?.clientKey, 'TRUNCATED'],
        ['no-such-key', 'UNKNOWN_CUSTOMER'],
      ].sort(),
    );
    expect(ready.received.some((e) => e.jobId === jobId && e.clientKey === victim?.clientKey)).toBe(false);
    await expect
      .poll(() => failedEvents.received.filter((e) => e.jobId === jobId).map((e) => [e.clientKey, e.code]))
      .toEqual([[victim?.clientKey, 'TRUNCATED']]);
  });
});
