import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { healthRpc } from '../contracts/rpc.js';
import { connectNats, type NatsContext } from '../messaging/connection.js';
import type { EventConsumer } from '../messaging/events.js';
import { serveRpc } from '../messaging/rpc.js';
import { ensureStreams } from '../messaging/streams.js';
import { gauge } from '../metrics/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    nats: NatsContext;
    /** Stops the consumer before the connection drains on close, letting in-flight messages finish. */
    ownConsumer(consumer: EventConsumer): void;
  }
}

/** How long a starting service waits for its subscriptions to reach the server. */
const READY_FLUSH_MAX_MS = 2_000;

// Consumers of every app in this process: the lag gauge is process-wide like the metrics registry.
const liveConsumers = new Set<EventConsumer>();

function consumerLagGauge() {
  return gauge(
    'pharma_nats_consumer_pending',
    'Messages waiting for or held by a consumer (lag)',
    ['subject', 'durable'],
    async function () {
      this.reset();
      await Promise.all(
        [...liveConsumers].map(async (consumer) => {
          const pending = await consumer.pending().catch(() => undefined);
          if (pending !== undefined) this.set({ subject: consumer.subject, durable: consumer.durable }, pending);
        }),
      );
    },
  );
}

export interface NatsPluginOptions {
  url: string;
  prefix: string;
  /** An existing connection (tests); the plugin then leaves closing it to the caller. */
  context?: NatsContext;
}

/** Connects to NATS, makes sure the streams exist, answers health requests, and drains on close. */
export const natsPlugin = fp<NatsPluginOptions>(
  async (app: FastifyInstance, options) => {
    const ctx =
      options.context ??
      (await connectNats({ url: options.url, prefix: options.prefix, name: app.service.name, logger: app.log }));
    await ensureStreams(ctx);
    app.decorate('nats', ctx);

    const consumers: EventConsumer[] = [];
    app.decorate('ownConsumer', (consumer: EventConsumer) => {
      consumers.push(consumer);
      liveConsumers.add(consumer);
    });
    consumerLagGauge();

    app.readiness.add('nats', () => (ctx.nc.isClosed() ? { ok: false, message: 'connection closed' } : { ok: true }));

    const health = serveRpc(ctx, healthRpc(app.service.name), {
      logger: app.log,
      // Every instance answers; the gateway takes the first reply.
      queue: `health.${app.service.name}`,
      handler: async () => {
        const { ready, checks } = await app.readiness.run(1_500);
        return {
          service: app.service.name,
          version: app.service.version,
          status: ready ? ('up' as const) : ('degraded' as const),
          uptimeS: Math.round((Date.now() - app.service.startedAt) / 1000),
          checks,
        };
      },
    });

    // Once every plugin has subscribed (RPC handlers, health), one round trip to the server: a request sent on
    // another connection after the service is ready then finds its subscribers. Best effort and bounded: a NATS
    // outage during the start neither fails nor holds it (the client resubscribes when it reconnects).
    app.addHook('onReady', async () => {
      const flushed = ctx.nc.flush().catch((error: unknown) => {
        app.log.warn({ err: error }, 'NATS flush at start failed; subscriptions are sent on reconnect');
      });
      await Promise.race([flushed, sleep(READY_FLUSH_MAX_MS, undefined, { ref: false })]);
    });
    app.addHook('preClose', async () => {
      health.unsubscribe();
      await Promise.allSettled(consumers.map((consumer) => consumer.stop()));
      for (const consumer of consumers) liveConsumers.delete(consumer);
    });
    app.addHook('onClose', async () => {
      if (!options.context && !ctx.nc.isClosed()) await ctx.nc.drain();
    });
  },
  { name: 'nats', dependencies: ['readiness'] },
);
