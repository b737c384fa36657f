import { consumeEvents, type EventConsumer } from '@pharma/shared/messaging';
import { type RunJobDeps, runAsJob } from '../services/run-job.service.js';
import { failRunJob, runRetryDelayMs } from './give-up.js';

/** Runs on demand (gateway, CLI, scripts): the job may not exist yet when a script published the request. */
export function consumeRunRequests(deps: RunJobDeps): Promise<EventConsumer> {
  return consumeEvents(deps.nats, {
    subject: 'orchestrator.run.requested',
    durable: 'orchestrator-run-requests',
    logger: deps.logger,
    retryDelayMs: runRetryDelayMs,
    concurrency: 2,
    onGiveUp: (payload, error) => failRunJob(deps.jobs, payload.jobId, error),
    handler: async (payload, context) => {
      await runAsJob(deps, payload.jobId, 'request', {
        correlationId: payload.correlationId ?? context.correlationId,
        onProgress: () => context.working(),
      });
    },
  });
}
