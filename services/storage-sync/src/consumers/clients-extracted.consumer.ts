import { consumeEvents } from '@pharma/shared/messaging';
import { ingestEvent } from '../services/ingest.service.js';
import { type ConsumerDeps, retryDelay } from './statement-parsed.consumer.js';

/** `sobrus.clients.extracted` → the pharmacy's customers, kept even when they leave the list (ingest service). */
export function consumeClientsExtracted(deps: ConsumerDeps) {
  return consumeEvents(deps.nats, {
    subject: 'sobrus.clients.extracted',
    durable: 'storage-sync-clients',
    logger: deps.logger,
    concurrency: deps.concurrency,
    retryDelayMs: retryDelay(deps.notOwnerDelayMs),
    handler: (event, context) => ingestEvent(deps, 'sobrus.clients.extracted', event, context.logger),
  });
}
