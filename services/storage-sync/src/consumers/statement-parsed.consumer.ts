import { consumeEvents } from '@pharma/shared/messaging';
import { type IngestDeps, ingestEvent } from '../services/ingest.service.js';

export interface ConsumerDeps extends IngestDeps {
  concurrency: number;
  /** Redelivery delay when the pharmacy cannot be handled now (grows with the delivery count). */
  notOwnerDelayMs: number;
}

export const retryDelay = (baseMs: number) => (deliveryCount: number) => Math.min(30_000, baseMs * deliveryCount);

/** `sobrus.statement.parsed` → the statement replaces that customer's rows for that period (ingest service). */
export function consumeStatementParsed(deps: ConsumerDeps) {
  return consumeEvents(deps.nats, {
    subject: 'sobrus.statement.parsed',
    durable: 'storage-sync-statements',
    logger: deps.logger,
    concurrency: deps.concurrency,
    retryDelayMs: retryDelay(deps.notOwnerDelayMs),
    handler: (event, context) => ingestEvent(deps, 'sobrus.statement.parsed', event, context.logger),
  });
}
