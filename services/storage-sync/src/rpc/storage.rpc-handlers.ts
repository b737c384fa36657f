import {
  STORAGE_RPCS,
  storageAgeingRpc,
  storageBalancesRpc,
  storageCustomersRpc,
  storageDebtorsRpc,
  storageDownloadDbRpc,
  storageExportCsvRpc,
  storageRestoreRpc,
  storageStatementRpc,
  storageStatusRpc,
  storageSyncNowRpc,
  storageTotalsRpc,
} from '@pharma/shared/contracts';
import type { Log } from '@pharma/shared/logger';
import { type NatsContext, type RpcDefinition, requestRpc, serveRpc } from '@pharma/shared/messaging';
import type { Static, TSchema } from '@sinclair/typebox';
import type { PharmacyDatabase } from '../db/pharmacy-database.js';
import { pharmacyBaseName } from '../domain/pharmacy-file.js';
import { NotOwnerError, type PharmacyDatabases } from '../pharmacies/pharmacy-databases.js';
import type { Replicator } from '../replication/replicator.js';
import { searchCustomers } from '../repositories/customers.queries.js';
import { csvChunk } from '../services/csv-export.service.js';
import { exportDatabase } from '../services/db-export.service.js';
import { ageing, balances, statementView, topDebtors, totals } from '../services/reports.service.js';

export interface RpcDeps {
  nats: NatsContext;
  pharmacies: PharmacyDatabases;
  replicator: Replicator;
  instanceId: string;
  exportsTtlMs: number;
  logger: Log;
}

type Handler<R extends RpcDefinition> = (
  request: Static<R['request']>,
  db: PharmacyDatabase,
) => Promise<Static<R['response']>> | Static<R['response']>;

const today = () => new Date().toISOString().slice(0, 10);
const page = (request: { offset?: number; limit?: number }) => ({
  offset: request.offset ?? 0,
  limit: request.limit ?? 50,
});

function handlers(deps: RpcDeps) {
  const { pharmacies, replicator } = deps;
  const table = new Map<RpcDefinition, Handler<RpcDefinition<TSchema, TSchema>>>();
  const on = <R extends RpcDefinition>(rpc: R, handler: Handler<R>) =>
    table.set(rpc, handler as unknown as Handler<RpcDefinition<TSchema, TSchema>>);

  on(storageCustomersRpc, (request, db) => {
    const { offset, limit } = page(request);
    return { offset, ...searchCustomers(db.sqlite, { search: request.search, offset, limit }) };
  });
  on(storageStatementRpc, (request, db) =>
    statementView(db.sqlite, request.clientKey, { from: request.from, to: request.to }),
  );
  on(storageBalancesRpc, (request, db) => {
    const { offset, limit } = page(request);
    const { rows, verdicts } = balances(db.sqlite, { discrepanciesFirst: request.discrepanciesFirst });
    return { total: rows.length, offset, verdicts, items: rows.slice(offset, offset + limit) };
  });
  on(storageTotalsRpc, (request, db) => totals(db.sqlite, request));
  on(storageAgeingRpc, (request, db) => {
    const { offset, limit } = page(request);
    const result = ageing(db.sqlite, { asOf: request.asOf ?? today(), clientKey: request.clientKey });
    return {
      asOf: result.asOf,
      overall: result.overall,
      total: result.customers.length,
      offset,
      customers: result.customers.slice(offset, offset + limit),
    };
  });
  on(storageDebtorsRpc, (request, db) => ({ items: topDebtors(db.sqlite, request.limit ?? 10) }));
  on(storageExportCsvRpc, (request, db) =>
    csvChunk(
      db.sqlite,
      {
        dataset: request.dataset,
        separator: request.separator ?? ',',
        clientKey: request.clientKey,
        ...(request.from && request.to ? { period: { from: request.from, to: request.to } } : {}),
        asOf: request.asOf ?? today(),
        cursor: request.cursor ?? 0,
      },
      pharmacyBaseName(db.pharmacyId),
    ),
  );
  on(storageDownloadDbRpc, (_request, db) =>
    exportDatabase(deps.nats, db, { tmpDir: pharmacies.tmpDir, ttlMs: deps.exportsTtlMs }),
  );
  on(storageStatusRpc, (_request, db) => replicator.status(db.pharmacyId));
  on(storageSyncNowRpc, (_request, db) => replicator.flush(db.pharmacyId));
  on(storageRestoreRpc, async (_request, db) => {
    const { decision, generation } = await pharmacies.restore(db.pharmacyId);
    return { decision, ...(generation === undefined ? {} : { generation }) };
  });
  return table;
}

/** The subject on which one instance answers requests forwarded to it as a pharmacy's owner. */
const instanceSubject = (rpc: RpcDefinition, instanceId: string) => `${rpc.subject}.instance.${instanceId}`;

/**
 * Serves the storage API. Any instance may receive a request (queue group); only the pharmacy's owner opens
 * its database, so a request for a pharmacy held elsewhere is forwarded to the owner's own subject.
 */
export function serveStorageRpcs(deps: RpcDeps): ReturnType<typeof serveRpc>[] {
  const table = handlers(deps);
  const subscriptions: ReturnType<typeof serveRpc>[] = [];
  for (const rpc of STORAGE_RPCS as readonly RpcDefinition[]) {
    const handler = table.get(rpc)!;
    const local = async (request: Static<TSchema>) => {
      const { pharmacyId } = request as { pharmacyId: string };
      return handler(request, await deps.pharmacies.get(pharmacyId));
    };
    subscriptions.push(
      serveRpc(deps.nats, rpc, {
        logger: deps.logger,
        handler: async (request) => {
          try {
            return await local(request);
          } catch (error) {
            if (!(error instanceof NotOwnerError)) throw error;
            const forwarded = { ...rpc, subject: instanceSubject(rpc, error.owner) };
            return requestRpc(deps.nats, forwarded, request, { timeoutMs: 30_000 });
          }
        },
      }),
      serveRpc(
        deps.nats,
        { ...rpc, subject: instanceSubject(rpc, deps.instanceId) },
        { logger: deps.logger, handler: local, queue: `instance.${deps.instanceId}` },
      ),
    );
  }
  return subscriptions;
}
