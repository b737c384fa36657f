import { type NatsContext, publishEvent } from '@pharma/shared/messaging';
import type { RunEvents } from './run.types.js';

/** `orchestrator.task.updated` per task and `orchestrator.run.completed` per run, keyed so a re-publish is one event. */
export function natsRunEvents(nats: NatsContext): RunEvents {
  return {
    async taskUpdated(runId, result) {
      await publishEvent(
        nats,
        'orchestrator.task.updated',
        {
          runId,
          taskId: result.task.id,
          filePath: result.task.filePath,
          status: result.outcome.status,
          reason: result.outcome.reason,
          updatedAt: new Date().toISOString(),
        },
        { msgId: `orchestrator-task:${runId}:${result.task.id}` },
      );
    },
    async runCompleted(result, meta) {
      await publishEvent(
        nats,
        'orchestrator.run.completed',
        {
          runId: result.runId,
          jobId: meta.jobId,
          status: result.status === 'cancelled' ? 'failed' : result.status,
          counts: result.counts,
          startedAt: result.startedAt,
          completedAt: result.completedAt,
          error: result.error?.slice(0, 2000),
          correlationId: meta.correlationId,
        },
        { msgId: `orchestrator-run:${result.runId}`, correlationId: meta.correlationId },
      );
    },
  };
}
