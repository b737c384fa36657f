import { consumeEvents } from '@pharma/shared/messaging';
import { storeCustomers } from '../repositories/customers.repository.js';
import { type ConsumerDeps, retryDelay } from './statement-parsed.consumer.js';

/** `sobrus.clients.extracted` → the pharmacy's customers (kept even when they leave the list). */
export function consumeClientsExtracted(deps: ConsumerDeps) {
  return consumeEvents(deps.nats, {
    subject: 'sobrus.clients.extracted',
    durable: 'storage-sync-clients',
    logger: deps.logger,
    concurrency: deps.concurrency,
    retryDelayMs: retryDelay(deps.notOwnerDelayMs),
    handler: async (event, context) => {
      const pdb = await deps.pharmacies.get(event.pharmacyId);
      const result = storeCustomers(pdb.sqlite, event);
      if (result.changed) deps.replicator.markDirty(pdb.pharmacyId, event.jobId);
      context.logger.info({ pharmacyId: pdb.pharmacyId, ...result }, 'customer list stored');
    },
  });
}
