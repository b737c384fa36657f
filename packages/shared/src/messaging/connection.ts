import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import type { Log as Logger } from '../logger/index.js';

/** A NATS connection with its JetStream handles and the namespace prefix that isolates tenants of one server (tests). */
export interface NatsContext {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  prefix: string;
  /** Subject as seen on the wire: `<prefix>.<subject>` when a prefix is set. */
  subject(name: string): string;
  /** Stream, bucket or durable name with the prefix applied. */
  resource(name: string): string;
}

export interface ConnectNatsOptions {
  url: string;
  name: string;
  prefix?: string;
  logger?: Logger;
}

export function namespaced(prefix: string) {
  return {
    subject: (name: string) => (prefix ? `${prefix}.${name}` : name),
    resource: (name: string) => (prefix ? `${prefix}_${name}` : name),
  };
}

export async function connectNats({ url, name, prefix = '', logger }: ConnectNatsOptions): Promise<NatsContext> {
  const nc = await connect({
    servers: url.split(','),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    waitOnFirstConnect: false,
  });
  if (logger) watchStatus(nc, logger);
  const js = jetstream(nc, { timeout: 10_000 });
  const jsm = await jetstreamManager(nc, { timeout: 10_000 });
  return { nc, js, jsm, prefix, ...namespaced(prefix) };
}

async function watchStatus(nc: NatsConnection, logger: Logger): Promise<void> {
  for await (const status of nc.status()) {
    if (status.type === 'disconnect' || status.type === 'reconnect' || status.type === 'error') {
      logger.warn({ nats: status.type, server: 'server' in status ? status.server : undefined }, 'nats status');
    }
  }
}
