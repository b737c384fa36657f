import { AckPolicy, DeliverPolicy, type JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/nats-core';
import { AppError, toError } from '../errors/index.js';
import { currentCorrelationId, type Log as Logger, withCorrelationId } from '../logger/index.js';
import { platformMetrics } from '../metrics/index.js';
import { backoffDelay } from '../retry/index.js';
import type { NatsContext } from './connection.js';
import { EVENTS, type EventPayload, type EventSubject } from './subjects.js';
import { validatorFor } from './validation.js';

export interface PublishOptions {
  /** Natural key of the fact: a re-publish within the stream's duplicate window has no effect. */
  msgId: string;
  /** Sent as the `Correlation-Id` header; defaults to the id of the work in progress. */
  correlationId?: string;
}

export interface PublishResult {
  seq: number;
  duplicate: boolean;
}

export async function publishEvent<S extends EventSubject>(
  ctx: NatsContext,
  subject: S,
  payload: EventPayload<S>,
  { msgId, correlationId = currentCorrelationId() }: PublishOptions,
): Promise<PublishResult> {
  validatorFor(EVENTS[subject].schema).assert(payload, `${subject} payload`);
  const headers = natsHeaders();
  if (correlationId) headers.set('Correlation-Id', correlationId);
  const ack = await ctx.js.publish(ctx.subject(subject), JSON.stringify(payload), { msgID: msgId, headers });
  return { seq: ack.seq, duplicate: ack.duplicate };
}

export interface EventContext {
  subject: EventSubject;
  msgId: string | undefined;
  deliveryCount: number;
  correlationId: string | undefined;
  logger: Logger;
  /** Tells the server the handler is still working, pushing the redelivery timer back. */
  working(): void;
}

export interface ConsumeOptions<S extends EventSubject> {
  subject: S;
  /** Durable consumer name; instances sharing it share the work (each message to one of them). */
  durable: string;
  logger: Logger;
  handler: (payload: EventPayload<S>, context: EventContext) => Promise<void>;
  concurrency?: number;
  /** Delay before a failed message is redelivered. */
  retryDelayMs?: (deliveryCount: number) => number;
  deliverPolicy?: DeliverPolicy;
  /** Overrides the catalog's ack wait (time before an unacknowledged message is redelivered). */
  ackWaitMs?: number;
  /**
   * Called once a valid message is given up (a permanent error, or its last delivery failed), before it is
   * terminated: the place to end what the message started (e.g. fail its job) so nothing waits for it forever.
   * Its own errors are logged, never thrown.
   */
  onGiveUp?: (payload: EventPayload<S>, error: Error, context: EventContext) => Promise<void> | void;
}

export interface EventConsumer {
  /** Stops taking messages and waits for the ones in flight to finish. */
  stop(): Promise<void>;
  readonly inFlight: number;
  readonly subject: EventSubject;
  readonly durable: string;
  /** Messages not yet delivered plus those delivered and not yet acknowledged (consumer lag). */
  pending(): Promise<number>;
}

/** The `Correlation-Id` header, else the payload's field (a producer that filled only the payload still correlates). */
function correlationOf(msg: JsMsg, payload: unknown): string | undefined {
  const header = msg.headers?.get('Correlation-Id');
  if (header) return header;
  const field = (payload as { correlationId?: unknown } | null | undefined)?.correlationId;
  return typeof field === 'string' && field.length > 0 ? field : undefined;
}

const defaultRetryDelay = (deliveryCount: number) => backoffDelay(deliveryCount, { baseMs: 500, maxMs: 30_000 });

/**
 * Pull-consumes an event subject with explicit acks. Invalid payloads and permanent errors are terminated
 * (never redelivered, logged with subject and msg id); other failures are nak'ed with a backoff.
 */
export async function consumeEvents<S extends EventSubject>(
  ctx: NatsContext,
  options: ConsumeOptions<S>,
): Promise<EventConsumer> {
  const definition = { ...EVENTS[options.subject] };
  if (options.ackWaitMs !== undefined) definition.ackWaitMs = options.ackWaitMs;
  const stream = ctx.resource(definition.stream);
  const durable = ctx.resource(options.durable);
  await ctx.jsm.consumers.add(stream, {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: options.deliverPolicy ?? DeliverPolicy.All,
    filter_subject: ctx.subject(options.subject),
    max_deliver: definition.maxDeliver,
    ack_wait: definition.ackWaitMs * 1_000_000,
    max_ack_pending: 1_000,
  });
  const consumer = await ctx.js.consumers.get(stream, durable);
  const concurrency = options.concurrency ?? 1;
  const messages = await consumer.consume({ max_messages: Math.max(concurrency, 1) * 2 });
  const validator = validatorFor(definition.schema);
  const retryDelay = options.retryDelayMs ?? defaultRetryDelay;
  const running = new Set<Promise<void>>();
  const handled = platformMetrics.eventsHandled();
  const seconds = platformMetrics.eventSeconds();
  const outcome = (name: string) => handled.inc({ subject: options.subject, outcome: name });

  const handle = (msg: JsMsg): Promise<void> => {
    let body: { payload: unknown } | undefined;
    try {
      body = { payload: msg.json() };
    } catch {
      body = undefined;
    }
    const correlationId = correlationOf(msg, body?.payload);
    return withCorrelationId(correlationId, () => handleMessage(msg, body, correlationId));
  };

  const handleMessage = async (
    msg: JsMsg,
    body: { payload: unknown } | undefined,
    correlationId: string | undefined,
  ): Promise<void> => {
    const msgId = msg.headers?.get('Nats-Msg-Id') || undefined;
    const deliveryCount = msg.info.deliveryCount;
    const logger = options.logger.child({ subject: options.subject, msgId, correlationId });
    if (!body) {
      logger.error({ seq: msg.seq }, 'event rejected: body is not JSON');
      msg.term('not json');
      outcome('rejected');
      return;
    }
    const { payload } = body;
    if (!validator.check(payload)) {
      logger.error({ seq: msg.seq, problems: validator.errors(payload) }, 'event rejected: payload violates schema');
      msg.term('schema');
      outcome('rejected');
      return;
    }
    const timer = seconds.startTimer({ subject: options.subject });
    const heartbeat = setInterval(() => msg.working(), Math.max(1_000, definition.ackWaitMs / 3));
    const context: EventContext = {
      subject: options.subject,
      msgId,
      deliveryCount,
      correlationId,
      logger,
      working: () => msg.working(),
    };
    try {
      await options.handler(payload, context);
      msg.ack();
      outcome('ack');
    } catch (thrown) {
      const error = toError(thrown);
      const permanent = error instanceof AppError && !error.retryable;
      if (permanent || deliveryCount >= definition.maxDeliver) {
        logger.error({ err: error, deliveryCount, seq: msg.seq }, 'event given up');
        try {
          await options.onGiveUp?.(payload, error, context);
        } catch (hookError) {
          logger.error({ err: toError(hookError), seq: msg.seq }, 'clean-up of a given-up event failed');
        }
        msg.term(error.message.slice(0, 200));
        outcome('given_up');
      } else {
        logger.warn({ err: error, deliveryCount, seq: msg.seq }, 'event failed, will be redelivered');
        msg.nak(retryDelay(deliveryCount));
        outcome('retry');
      }
    } finally {
      timer();
      clearInterval(heartbeat);
    }
  };

  const loop = (async () => {
    for await (const msg of messages) {
      const task = handle(msg).finally(() => running.delete(task));
      running.add(task);
      if (running.size >= concurrency) await Promise.race(running);
    }
  })();

  return {
    subject: options.subject,
    durable: options.durable,
    get inFlight() {
      return running.size;
    },
    async pending() {
      const info = await consumer.info();
      return info.num_pending + info.num_ack_pending;
    },
    async stop() {
      await messages.close();
      await loop;
      await Promise.allSettled(running);
    },
  };
}
