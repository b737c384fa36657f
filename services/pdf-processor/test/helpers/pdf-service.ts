import { type ObjectStore, openObjectStore } from '@pharma/shared/messaging';
import { captureLogs, createTestNats, type TestNats } from '@pharma/testkit';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { listenToResults, type StatementResults } from './statement-events.js';

export interface PdfProcessorUnderTest {
  nats: TestNats;
  app: FastifyInstance;
  /** The bucket the test puts statement PDFs in. */
  store: ObjectStore;
  results: StatementResults;
  close(): Promise<void>;
}

/**
 * The pdf-processor on a NATS prefix of its own, one parser thread, listening from the start to the results it
 * publishes.
 */
export async function startPdfProcessor(options: {
  bucket: string;
  env?: Record<string, string>;
  logger?: ReturnType<typeof captureLogs>['logger'];
}): Promise<PdfProcessorUnderTest> {
  const nats = await createTestNats();
  const app = await buildApp(
    loadConfig({ NATS_URL: nats.url, NATS_PREFIX: nats.prefix, PDF_PROCESSOR_THREADS: '1', ...options.env }),
    options.logger ?? captureLogs('pdf-processor').logger,
  );
  await app.ready();
  const store = await openObjectStore(nats.ctx, options.bucket);
  const results = listenToResults(nats);
  return {
    nats,
    app,
    store,
    results,
    async close() {
      results.stop();
      await app.close();
      await nats.cleanup();
    },
  };
}
