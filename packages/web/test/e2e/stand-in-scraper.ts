import { createHash } from 'node:crypto';
import type { Logger } from '@pharma/shared/logger';
import {
  consumeEvents,
  type EventConsumer,
  JobStore,
  type NatsContext,
  openObjectStore,
  publishEvent,
} from '@pharma/shared/messaging';
import type { RunningSimulator } from '@pharma/sobrus-sim';

const BUCKET = 'e2e-statements';
const PAGE = 20;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Answers the two Sobrus requests the way the scraper service does — job progress per page or statement,
 * `sobrus.clients.extracted`, statement PDFs in the object store announced by `sobrus.statement.pdf.ready` —
 * reading the simulator directly instead of driving its web pages. The PDFs are then parsed by the real
 * pdf-processor and stored by the real storage-sync.
 */
export async function startStandInScraper(ctx: NatsContext, sim: RunningSimulator, logger: Logger) {
  const jobs = await JobStore.open(ctx);
  const store = await openObjectStore(ctx, BUCKET);
  const consumers: EventConsumer[] = [];

  consumers.push(
    await consumeEvents(ctx, {
      subject: 'sobrus.clients.refresh.requested',
      durable: 'e2e-clients',
      logger,
      handler: async ({ jobId, pharmacyId }) => {
        const customers = sim.truth.customers(pharmacyId);
        for (let done = 0; done < customers.length; done += PAGE) {
          await jobs.update(jobId, () => ({
            status: 'running',
            progress: { done, total: customers.length, stage: 'customers', message: `page ${done / PAGE + 1}` },
          }));
          await pause(40);
        }
        await publishEvent(
          ctx,
          'sobrus.clients.extracted',
          { jobId, pharmacyId, extractedAt: new Date().toISOString(), siteTotal: customers.length, customers },
          { msgId: `clients-${jobId}` },
        );
        await jobs.update(jobId, () => ({
          status: 'succeeded',
          progress: { done: customers.length, total: customers.length, stage: 'done' },
          result: { customers: customers.length },
        }));
      },
    }),
  );

  consumers.push(
    await consumeEvents(ctx, {
      subject: 'sobrus.statements.refresh.requested',
      durable: 'e2e-statements',
      logger,
      handler: async ({ jobId, pharmacyId, from, to, clientKeys }) => {
        const keys = clientKeys ?? sim.truth.customers(pharmacyId).map((c) => c.clientKey);
        let done = 0;
        for (const clientKey of keys) {
          await jobs.update(jobId, () => ({
            status: 'running',
            progress: { done, total: keys.length, stage: 'statements' },
          }));
          const printed = await sim.simulation.print({
            account: pharmacyId,
            customerId: clientKey,
            startDate: from,
            endDate: to,
          });
          const name = `${pharmacyId}/${clientKey}/${from}_${to}.pdf`;
          await store.putBlob({ name }, printed.pdf);
          await publishEvent(
            ctx,
            'sobrus.statement.pdf.ready',
            {
              jobId,
              pharmacyId,
              clientKey,
              customerName: printed.customer.name,
              from,
              to,
              object: {
                bucket: BUCKET,
                name,
                size: printed.pdf.length,
                sha256: createHash('sha256').update(printed.pdf).digest('hex'),
              },
              downloadedAt: new Date().toISOString(),
            },
            { msgId: `pdf-${jobId}-${clientKey}` },
          );
          done += 1;
        }
        await jobs.update(jobId, () => ({
          status: 'succeeded',
          progress: { done, total: keys.length, stage: 'done' },
          result: { statements: done },
        }));
      },
    }),
  );

  return { stop: () => Promise.all(consumers.map((consumer) => consumer.stop())) };
}
