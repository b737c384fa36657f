import {
  consumeEvents,
  EVENTS,
  type EventPayload,
  type EventSubject,
  isFinal,
  type Job,
  type JobStore,
  type NatsContext,
} from '@pharma/shared/messaging';
import { captureLogs, eventually, uniqueName } from './index.js';

export interface EventCollector<S extends EventSubject> {
  /** Payloads in the order they were handled. */
  readonly received: EventPayload<S>[];
  /**
   * Resolves once the collector has been handed, and has acknowledged, every event its stream holds: whatever was
   * published before the call is in `received`. The positive signal to wait for before asserting an absence.
   */
  settled(options?: { timeoutMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

/** Collects every event of a subject from the start of its stream, on a durable consumer of its own. */
export async function collectEvents<S extends EventSubject>(
  ctx: NatsContext,
  subject: S,
  { concurrency = 8 }: { concurrency?: number } = {},
): Promise<EventCollector<S>> {
  const received: EventPayload<S>[] = [];
  const consumer = await consumeEvents(ctx, {
    subject,
    durable: uniqueName('collect'),
    logger: captureLogs().logger,
    concurrency,
    handler: async (payload) => void received.push(payload),
  });
  return {
    received,
    settled: (options) => consumedAll(consumer.pending, options),
    stop: () => consumer.stop(),
  };
}

/**
 * Resolves once a service's durable consumer of a subject has acknowledged every event its stream holds: an event
 * published before the call has been handled (whatever the handler decided to do with it).
 */
export function consumerSettled(
  ctx: NatsContext,
  subject: EventSubject,
  durable: string,
  options?: { timeoutMs?: number },
): Promise<void> {
  const stream = ctx.resource(EVENTS[subject].stream);
  return consumedAll(async () => {
    const info = await ctx.jsm.consumers.info(stream, ctx.resource(durable));
    return info.num_pending + info.num_ack_pending;
  }, options);
}

async function consumedAll(pending: () => Promise<number>, { timeoutMs = 10_000 } = {}): Promise<void> {
  await eventually(
    async () => {
      const left = await pending();
      if (left > 0) throw new Error(`${left} event(s) not yet handled`);
    },
    { timeoutMs },
  );
}

/** Polls the job store until the job is final (succeeded, failed or cancelled), and returns it. */
export function finishedJob(
  jobs: JobStore,
  jobId: string,
  { timeoutMs = 20_000, intervalMs = 100 } = {},
): Promise<Job> {
  return eventually(
    async () => {
      const job = await jobs.require(jobId);
      if (!isFinal(job)) throw new Error(`job ${jobId} is ${job.status} (${job.progress.done}/${job.progress.total})`);
      return job;
    },
    { timeoutMs, intervalMs },
  );
}
