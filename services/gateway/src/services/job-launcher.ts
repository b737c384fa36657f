import { randomUUID } from 'node:crypto';
import type { JobKind } from '@pharma/shared/contracts';
import { type EventPayload, type EventSubject, type JobStore, publishEvent } from '@pharma/shared/messaging';
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';

export interface LaunchInput<S extends EventSubject> {
  kind: Static<typeof JobKind>;
  owner: string;
  subject: S;
  correlationId: string;
  payload: (jobId: string, requestedAt: string) => EventPayload<S>;
}

/** Creates the job (queued) before publishing its request, so a fast worker always finds it. */
export async function launchJob<S extends EventSubject>(app: FastifyInstance, jobs: JobStore, input: LaunchInput<S>) {
  const id = randomUUID();
  const job = await jobs.create({ id, kind: input.kind, owner: input.owner, correlationId: input.correlationId });
  await publishEvent(app.nats, input.subject, input.payload(id, job.createdAt), {
    msgId: `${input.subject}:${id}`,
    correlationId: input.correlationId,
  });
  return job;
}
