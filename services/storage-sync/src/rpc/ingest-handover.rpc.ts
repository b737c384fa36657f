import { EVENTS, serveRpc, validatorFor } from '@pharma/shared/messaging';
import { handoverRpc, type IngestDeps, storeEvent } from '../services/ingest.service.js';

/** Answers events handed over by other instances for pharmacies this one holds. */
export function serveIngestHandover(deps: IngestDeps, instanceId: string) {
  return serveRpc(deps.nats, handoverRpc(instanceId), {
    logger: deps.logger,
    queue: `ingest.${instanceId}`,
    handler: async ({ subject, payload }) => {
      const event = validatorFor(EVENTS[subject].schema).assert(payload, `${subject} payload`);
      const pdb = await deps.pharmacies.get(event.pharmacyId);
      storeEvent(deps, pdb, subject, event, deps.logger.child({ subject, handedOver: true }));
      return { stored: true };
    },
  });
}
