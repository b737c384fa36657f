import { createServiceApp, natsPlugin, packageVersion } from '@pharma/shared/fastify';
import type { Logger } from '@pharma/shared/logger';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { consumeStatementPdfReady, STATEMENT_PDF_READY_DURABLE } from './consumers/statement-pdf-ready.consumer.js';
import { objectSweepPlugin } from './plugins/object-sweep.plugin.js';
import { createLayoutDumpKeeper } from './services/layout-dump.service.js';
import { STATEMENTS_BUCKET, sweepStatementObjects } from './services/object-sweep.service.js';
import { createStatementPdfService } from './services/statement-pdf.service.js';
import { DUMP_LAYOUT_ENTRY } from './worker/layout-dump.worker.js';
import { PARSE_ENTRY } from './worker/parse.worker.js';
import { createParserPool } from './worker/parser-pool.js';

export async function buildApp(config: Config, logger: Logger): Promise<FastifyInstance> {
  const app = await createServiceApp({ service: 'pdf-processor', version: packageVersion(import.meta.url), logger });
  await app.register(natsPlugin, config.nats);

  // Parser threads run worker/parse.worker.ts: PDF → text → statement, its verdict decided by the domain parser.
  const pool = createParserPool(config.parser, { parse: PARSE_ENTRY, dumpLayout: DUMP_LAYOUT_ENTRY });
  // Registered before the consumer so that, hooks running in reverse, the pool closes after the consumer stopped.
  app.addHook('onClose', () => pool.close());
  app.readiness.add('parser-pool', () => ({ ok: true, message: `${pool.queued} queued` }));

  const process = createStatementPdfService({
    nats: app.nats,
    parse: pool.parse,
    maxPdfBytes: config.parser.maxPdfBytes,
    keepLayoutDump: createLayoutDumpKeeper({ nats: app.nats, dumpLayout: pool.dumpLayout }),
  });
  const consumer = await consumeStatementPdfReady(app.nats, {
    logger: app.log.child({ module: 'statement-pdf-ready' }),
    concurrency: config.parser.threads,
    process,
  });
  app.ownConsumer(consumer);

  // PDFs no pending message refers to (their event lost or taken for a duplicate) are removed after a grace period.
  await app.register(objectSweepPlugin, {
    intervalMs: config.sweep.intervalMs,
    sweep: (signal) =>
      sweepStatementObjects({
        signal,
        nats: app.nats,
        bucket: STATEMENTS_BUCKET,
        durable: STATEMENT_PDF_READY_DURABLE,
        graceMs: config.sweep.graceMs,
      }),
  });
  return app;
}
