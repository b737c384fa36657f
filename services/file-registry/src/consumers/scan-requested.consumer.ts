import type { Log } from '@pharma/shared/logger';
import { consumeEvents, type EventConsumer, type NatsContext } from '@pharma/shared/messaging';
import type { ScanAsJob } from '../services/scan-job.service.js';

/**
 * On-demand scans. Several run at once on purpose: a request arriving during a scan of the same root ends at once
 * as `locked` (the advisory lock decides), instead of queueing a second full walk behind the first.
 */
export function consumeScanRequests(deps: { nats: NatsContext; logger: Log }, scan: ScanAsJob): Promise<EventConsumer> {
  return consumeEvents(deps.nats, {
    subject: 'registry.scan.requested',
    durable: 'file-registry-scan-requests',
    logger: deps.logger,
    concurrency: 4,
    // The job may not exist yet (a script published the request); a redelivered request whose job already ended
    // has nothing left to do.
    handler: async (payload, context) => {
      await scan(payload.jobId, payload.correlationId ?? context.correlationId, payload.requestedBy);
    },
  });
}
