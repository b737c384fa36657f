import { consumeEvents, type EventConsumer } from '@pharma/shared/messaging';
import { type RunJobDeps, runAsJob } from '../services/run-job.service.js';
import { failRunJob, runRetryDelayMs } from './give-up.js';

/** A finished registry scan starts a run; the job id comes from the scan id, so a redelivery runs nothing twice. */
export function consumeScanCompleted(deps: RunJobDeps): Promise<EventConsumer> {
  return consumeEvents(deps.nats, {
    subject: 'registry.scan.completed',
    durable: 'orchestrator-scan-completed',
    logger: deps.logger,
    retryDelayMs: runRetryDelayMs,
    concurrency: 1,
    ackWaitMs: 120_000,
    onGiveUp: (payload, error) => failRunJob(deps.jobs, `orchestrator-after-${payload.scanId}`, error),
    handler: async (payload, context) => {
      if (payload.status !== 'succeeded') return;
      const jobId = `orchestrator-after-${payload.scanId}`;
      await runAsJob(deps, jobId, 'scan', {
        correlationId: payload.correlationId ?? context.correlationId,
        onProgress: () => context.working(),
      });
    },
  });
}
