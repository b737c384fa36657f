import { openJob } from '@pharma/shared/jobs';
import { consumeEvents, type EventConsumer } from '@pharma/shared/messaging';
import type { FastifyBaseLogger } from 'fastify';
import { findRun, INTERRUPTED } from '../repositories/runs.repository.js';
import type { ImportJobDeps } from '../services/import-job.js';
import { runImportJob } from '../services/import-job.js';

/**
 * `sales.import.requested` → one import run whose id is the import id. A redelivery of an import that
 * already ran changes nothing; one interrupted by a stop of the service (marked at start, its transaction
 * gone) is run again.
 */
export function consumeImportRequests(deps: ImportJobDeps, logger: FastifyBaseLogger): Promise<EventConsumer> {
  return consumeEvents(deps.nats, {
    subject: 'sales.import.requested',
    durable: 'sales-etl-imports',
    logger,
    concurrency: 1,
    handler: async (payload, context) => {
      // The job may not exist yet (a script published the request); it is there even for an import already done.
      await openJob(deps.jobs, {
        id: payload.jobId,
        kind: 'sales.import',
        owner: 'system',
        correlationId: payload.correlationId,
      });
      const previous = findRun(deps.db.read, payload.importId);
      if (previous && !previous.error?.startsWith(INTERRUPTED)) {
        context.logger.info({ importId: payload.importId, status: previous.status }, 'import already done');
        return;
      }
      await runImportJob(
        deps,
        {
          runId: payload.importId,
          importId: payload.importId,
          jobId: payload.jobId,
          trigger: 'request',
          urls: payload.urls,
          conditional: false,
        },
        { correlationId: payload.correlationId ?? context.correlationId, logger: context.logger },
      );
    },
  });
}
