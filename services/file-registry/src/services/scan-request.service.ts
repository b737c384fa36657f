import { randomUUID } from 'node:crypto';
import { type JobStore, type NatsContext, publishEvent } from '@pharma/shared/messaging';

/** Queues an on-demand scan: a job the caller can follow, and the request event the consumer acts on. */
export async function startScan(
  deps: { nats: NatsContext; jobs: JobStore },
  request: { requestedBy?: string; correlationId?: string },
): Promise<{ jobId: string }> {
  const jobId = `scan-${randomUUID()}`;
  await deps.jobs.create({
    id: jobId,
    kind: 'registry.scan',
    owner: request.requestedBy ?? 'system',
    correlationId: request.correlationId,
  });
  await publishEvent(
    deps.nats,
    'registry.scan.requested',
    {
      jobId,
      requestedAt: new Date().toISOString(),
      ...(request.requestedBy ? { requestedBy: request.requestedBy } : {}),
      ...(request.correlationId ? { correlationId: request.correlationId } : {}),
    },
    { msgId: `scan-request-${jobId}`, correlationId: request.correlationId },
  );
  return { jobId };
}
