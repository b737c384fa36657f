import { AppError } from '@pharma/shared/errors';
import type { Log } from '@pharma/shared/logger';
import { defineRpc, type EventPayload, type NatsContext, requestRpc } from '@pharma/shared/messaging';
import { Type } from '@sinclair/typebox';
import { queueAlert } from '../alerts/alert-outbox.js';
import type { AlertSender } from '../alerts/alert-sender.js';
import type { PharmacyDatabase } from '../db/pharmacy-database.js';
import { NotOwnerError, type PharmacyDatabases } from '../pharmacies/pharmacy-databases.js';
import type { Replicator } from '../replication/replicator.js';
import { storeCustomers } from '../repositories/customers.repository.js';
import { storeStatement } from '../repositories/statements.repository.js';

export type IngestSubject = 'sobrus.clients.extracted' | 'sobrus.statement.parsed';

export interface IngestDeps {
  nats: NatsContext;
  pharmacies: PharmacyDatabases;
  replicator: Replicator;
  logger: Log;
  /** Set when e-mail alerts are enabled: new statement versions that do not reconcile are queued for it. */
  alerts?: AlertSender;
}

/** Between instances of this service only: hands an event to the instance holding its pharmacy. */
export const handoverRpc = (instanceId: string) =>
  defineRpc({
    subject: `storage-sync.ingest.${instanceId}`,
    description: 'Store an event for a pharmacy this instance holds',
    request: Type.Object({
      subject: Type.Union([Type.Literal('sobrus.clients.extracted'), Type.Literal('sobrus.statement.parsed')]),
      payload: Type.Unknown(),
    }),
    response: Type.Object({ stored: Type.Boolean() }),
  });

/** A customer list: upserts the customers (never drops one), then S3 is told there is a change. */
export function storeCustomerList(
  deps: IngestDeps,
  pdb: PharmacyDatabase,
  event: EventPayload<'sobrus.clients.extracted'>,
  logger: Log,
): void {
  const result = storeCustomers(pdb.sqlite, event);
  if (result.changed) deps.replicator.markDirty(pdb.pharmacyId, event.jobId);
  logger.info({ pharmacyId: pdb.pharmacyId, ...result }, 'customer list stored');
}

/**
 * A parsed statement: in one transaction it replaces that customer's rows for that period (and queues an alert
 * when a new version does not reconcile), then S3 and the alert sender are told. A replay or an older parse
 * changes nothing.
 */
export function storeParsedStatement(
  deps: IngestDeps,
  pdb: PharmacyDatabase,
  event: EventPayload<'sobrus.statement.parsed'>,
  logger: Log,
): void {
  const result = storeStatement(pdb.sqlite, event, deps.alerts ? queueAlert : undefined);
  const fields = { pharmacyId: pdb.pharmacyId, clientKey: event.clientKey, from: event.from, to: event.to };
  if (result.outcome === 'insert' || result.outcome === 'replace') {
    deps.replicator.markDirty(pdb.pharmacyId, event.jobId);
    if (event.statement.verdict !== 'ok') deps.alerts?.wake();
    logger.info({ ...fields, ...result }, 'statement stored');
  } else {
    logger.info({ ...fields, outcome: result.outcome }, 'statement already stored or older: ignored');
  }
}

/** Stores an event in the database of its pharmacy, which this instance holds. */
export function storeEvent(
  deps: IngestDeps,
  pdb: PharmacyDatabase,
  subject: IngestSubject,
  payload: EventPayload<IngestSubject>,
  logger: Log,
): void {
  if (subject === 'sobrus.clients.extracted') {
    storeCustomerList(deps, pdb, payload as EventPayload<'sobrus.clients.extracted'>, logger);
  } else {
    storeParsedStatement(deps, pdb, payload as EventPayload<'sobrus.statement.parsed'>, logger);
  }
}

/**
 * Stores an event in its pharmacy's database. When another instance holds the pharmacy, the event is handed to
 * it; only if that fails is the message nak'ed for later (so redeliveries landing on the wrong instance do not
 * use up the message's deliveries).
 */
export async function ingestEvent(
  deps: IngestDeps,
  subject: IngestSubject,
  payload: EventPayload<IngestSubject>,
  logger: Log,
): Promise<void> {
  let pdb: PharmacyDatabase;
  try {
    pdb = await deps.pharmacies.get(payload.pharmacyId);
  } catch (error) {
    if (!(error instanceof NotOwnerError)) throw error;
    try {
      await requestRpc(deps.nats, handoverRpc(error.owner), { subject, payload }, { timeoutMs: 30_000 });
      logger.debug({ pharmacyId: payload.pharmacyId, owner: error.owner }, 'event handed to the owning instance');
      return;
    } catch (forwardError) {
      if (forwardError instanceof AppError && !forwardError.retryable) throw forwardError;
      throw error;
    }
  }
  storeEvent(deps, pdb, subject, payload, logger);
}
