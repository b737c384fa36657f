import type { Log } from '@pharma/shared/logger';
import { consumeEvents, type NatsContext } from '@pharma/shared/messaging';
import type { PharmacyDatabases } from '../pharmacies/pharmacy-databases.js';
import type { Replicator } from '../replication/replicator.js';
import { storeStatement } from '../repositories/statements.repository.js';

export interface ConsumerDeps {
  nats: NatsContext;
  pharmacies: PharmacyDatabases;
  replicator: Replicator;
  logger: Log;
  concurrency: number;
  /** Redelivery delay when another instance holds the pharmacy (grows with the delivery count). */
  notOwnerDelayMs: number;
}

export const retryDelay = (baseMs: number) => (deliveryCount: number) => Math.min(30_000, baseMs * deliveryCount);

/** `sobrus.statement.parsed` → the statement replaces that customer's rows for that period. */
export function consumeStatementParsed(deps: ConsumerDeps) {
  return consumeEvents(deps.nats, {
    subject: 'sobrus.statement.parsed',
    durable: 'storage-sync-statements',
    logger: deps.logger,
    concurrency: deps.concurrency,
    retryDelayMs: retryDelay(deps.notOwnerDelayMs),
    handler: async (event, context) => {
      const pdb = await deps.pharmacies.get(event.pharmacyId);
      const result = storeStatement(pdb.sqlite, event);
      const fields = { pharmacyId: pdb.pharmacyId, clientKey: event.clientKey, from: event.from, to: event.to };
      if (result.outcome === 'insert' || result.outcome === 'replace') {
        deps.replicator.markDirty(pdb.pharmacyId, event.jobId);
        context.logger.debug({ ...fields, ...result }, 'statement stored');
      } else {
        context.logger.info({ ...fields, outcome: result.outcome }, 'statement already stored or older: ignored');
      }
    },
  });
}
