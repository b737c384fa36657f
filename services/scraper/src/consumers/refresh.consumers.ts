import { consumeEvents, type EventConsumer } from '@pharma/shared/messaging';
import { type ClientsRefreshDeps, refreshClients } from '../services/clients-refresh.service.js';
import { refreshStatements, type StatementsRefreshDeps } from '../services/statements-refresh.service.js';

/**
 * Durable consumers shared by every scraper instance: each request goes to exactly one of them. Jobs end in
 * the job store (succeeded, failed or cancelled) and the message is acknowledged; a redelivery of a finished
 * job does nothing.
 */
export async function consumeRefreshRequests(
  deps: ClientsRefreshDeps & StatementsRefreshDeps,
): Promise<EventConsumer[]> {
  const clients = await consumeEvents(deps.nats, {
    subject: 'sobrus.clients.refresh.requested',
    durable: 'scraper-clients-refresh',
    logger: deps.logger,
    concurrency: deps.config.jobConcurrency,
    handler: (payload) => refreshClients(deps, payload),
  });
  const statements = await consumeEvents(deps.nats, {
    subject: 'sobrus.statements.refresh.requested',
    durable: 'scraper-statements-refresh',
    logger: deps.logger,
    concurrency: deps.config.jobConcurrency,
    handler: (payload) => refreshStatements(deps, payload),
  });
  return [clients, statements];
}
