import { consumeEvents, type EventConsumer, type EventPayload, type EventSubject } from '@pharma/shared/messaging';
import { type ClientsRefreshDeps, refreshClients } from '../services/clients-refresh.service.js';
import { refreshStatements, type StatementsRefreshDeps } from '../services/statements-refresh.service.js';

type RefreshDeps = ClientsRefreshDeps & StatementsRefreshDeps;

/**
 * Durable consumers shared by every scraper instance: each request goes to exactly one of them. Jobs end in
 * the job store (succeeded, failed or cancelled) and the message is acknowledged; a redelivery of a finished
 * job does nothing.
 */
export async function consumeRefreshRequests(deps: RefreshDeps): Promise<EventConsumer[]> {
  return [
    await consumeRefresh(deps, 'sobrus.clients.refresh.requested', 'scraper-clients-refresh', refreshClients),
    await consumeRefresh(deps, 'sobrus.statements.refresh.requested', 'scraper-statements-refresh', refreshStatements),
  ];
}

function consumeRefresh<S extends EventSubject>(
  deps: RefreshDeps,
  subject: S,
  durable: string,
  refresh: (deps: RefreshDeps, payload: EventPayload<S>) => Promise<void>,
): Promise<EventConsumer> {
  return consumeEvents(deps.nats, {
    subject,
    durable,
    logger: deps.logger,
    concurrency: deps.config.jobConcurrency,
    handler: (payload) => refresh(deps, payload),
  });
}
