import { DEMO_ACCOUNT } from '@pharma/sobrus-sim';
import { collectEvents, type EventCollector, finishedJob } from '@pharma/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectTheTruth,
  loginDemoPharmacy,
  refreshCustomers,
  requestStatements,
  type Stack,
  startStack,
} from '../helpers.js';

describe('click path and cancellation', () => {
  let stack: Stack;
  let extracted: EventCollector<'sobrus.clients.extracted'>;
  const email = DEMO_ACCOUNT.email;

  beforeAll(async () => {
    stack = await startStack({
      customers: 85,
      scraperEnv: { SCRAPER_LIST_PATH: 'click', SCRAPER_BACKOFF_BASE_MS: '20', SCRAPER_STATEMENT_CONCURRENCY: '2' },
    });
    extracted = await collectEvents(stack.nats.ctx, 'sobrus.clients.extracted');
    await loginDemoPharmacy(stack);
  });
  afterAll(async () => {
    await extracted?.stop();
    await stack?.close();
  });

  it('clicks through the pages and rows with sessions dying every 5 s and 1 list call in 5 failing, with the same keys', async () => {
    stack.sim.faults.set({ latencyMs: { customers: 300 }, sessionMaxAgeSeconds: 5, http500Rate: 0.2 });
    const job = await refreshCustomers(stack, email, 150_000);
    expect(job.status, JSON.stringify(job.errors)).toBe('succeeded');
    expect(job.result).toMatchObject({ customers: 85, siteTotal: 85, pages: 5, path: 'click', recipe: 'none' });
    expect(Number(job.result?.sessionRenewals)).toBeGreaterThan(0);
    expect(job.errors).toEqual([]);
    await expect.poll(() => extracted.received.length).toBe(1);
    expectTheTruth(extracted.received[0]?.customers ?? [], stack.sim.truth.customers(email));
  }, 180_000);

  it('cancels a running statements job', async () => {
    stack.sim.faults.set({ pdfDelayMs: 1500 });
    const jobId = await requestStatements(stack, { pharmacyId: email, from: '2026-06-01', to: '2026-06-29' });
    await expect
      .poll(async () => (await stack.jobs.require(jobId)).progress.stage, { timeout: 90_000 })
      .toBe('statements');
    await stack.jobs.update(jobId, () => ({ cancelRequested: true }));
    const job = await finishedJob(stack.jobs, jobId, { timeoutMs: 50_000 });
    expect(job.status).toBe('cancelled');
    expect(Number(job.result?.downloaded)).toBeLessThan(85);
  }, 180_000);
});
