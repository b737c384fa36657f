import { join } from 'node:path';
import {
  storageAgeingRpc,
  storageBalancesRpc,
  storageCustomersRpc,
  storageDebtorsRpc,
  storageDownloadDbRpc,
  storageExportCsvRpc,
  storageRestoreRpc,
  storageStatementRpc,
  storageStatusRpc,
  storageTotalsRpc,
} from '@pharma/shared/contracts';
import { openObjectStore, requestRpc } from '@pharma/shared/messaging';
import { eventually } from '@pharma/testkit';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openPharmacyDatabase, SCHEMA_VERSION } from '../../src/db/pharmacy-database.js';
import { storeCustomers } from '../../src/repositories/customers.repository.js';
import { storeStatement } from '../../src/repositories/statements.repository.js';
import { clientsEvent, type StatementEvent, statementEvent } from '../factories.js';
import { dumpDatabase, extracted, parsed, type StorageEvent, storageSyncTestbed } from '../helpers.js';

const PHARMACY = 'pharmacie.centrale@example.ma';
const KEY = 'pharmacie_pharmacie_centrale_at_example_ma';
const FILE_NAME = `${KEY}.db`;

/** A row whose effect differs from its printed total, as the parser reports it. */
function withAnomaly(event: StatementEvent): StatementEvent {
  const anomaly = {
    kind: 'effect_differs_from_total',
    message: 'payment equal to a same-day return',
    page: 1,
    reference: 'P-003001',
  };
  return { ...event, statement: { ...event.statement, verdict: 'ok_with_anomalies', anomalies: [anomaly] } };
}

// Every test publishes what it needs, on a NATS prefix, bucket and disk of its own.
const customers = [
  { clientKey: '2284309', name: 'Amine Tazi', phone: '0600000001' },
  { clientKey: '2284310', name: 'Amine Tazi', email: 'amine@example.ma' },
  { clientKey: '77', name: 'Sara Alami', organisme: 'CNSS', immatriculation: 'A-1' },
];
const newer = withAnomaly(statementEvent({ pharmacyId: PHARMACY, clientKey: '77', count: 12, seed: 3, opening: 250 }));
/** The customer list, then a statement of each customer (two homonyms, one statement with an anomaly). */
const FIRST: StorageEvent[] = [
  extracted(clientsEvent(PHARMACY, customers)),
  parsed(statementEvent({ pharmacyId: PHARMACY, clientKey: '2284309', seed: 1 })),
  parsed(statementEvent({ pharmacyId: PHARMACY, clientKey: '2284310', seed: 2 })),
  parsed(newer),
];
/** A customer first seen in its statement. */
const nadia = parsed(statementEvent({ pharmacyId: PHARMACY, clientKey: '99', seed: 9, customerName: 'Nadia Idrissi' }));
/** A newer parse of a stored period, with other rows. */
const replacement = statementEvent({
  pharmacyId: PHARMACY,
  clientKey: '2284309',
  count: 4,
  seed: 5,
  downloadedAt: '2025-01-12T09:00:00.000Z',
});
/** Parsed later than `newer` but from an earlier download: older. */
const older = statementEvent({
  pharmacyId: PHARMACY,
  clientKey: '77',
  count: 3,
  seed: 42,
  downloadedAt: '2025-01-09T09:00:00.000Z',
  parsedAt: '2025-01-11T09:00:00.000Z',
});
/** Everything, with an older parse and a replay among it. */
const ALL: StorageEvent[] = [...FIRST, nadia, parsed(older), parsed(newer), parsed(replacement)];

describe('storage-sync: events to rows to S3, restore and replay', () => {
  const bed = storageSyncTestbed({ perTest: true, env: { STORAGE_SYNC_GENERATIONS_KEPT: '2' } });
  const status = () => requestRpc(bed.nats.ctx, storageStatusRpc, { pharmacyId: PHARMACY });
  const statementOf = (clientKey: string) =>
    requestRpc(bed.nats.ctx, storageStatementRpc, { pharmacyId: PHARMACY, clientKey });
  /** Starts the service on a new disk and stores the events (all of them when `ALL`). */
  const startWith = async (events: StorageEvent[]) => {
    const dataDir = bed.dir();
    const app = await bed.start(dataDir);
    await bed.publish(...events);
    await eventually(
      async () => {
        expect(dumpDatabase(join(dataDir, FILE_NAME)).statements).toHaveLength(events === ALL ? 4 : 3);
        if (events === ALL)
          expect((await statementOf('2284309')).statement.sourceSha256).toBe(replacement.sourceSha256);
      },
      { timeoutMs: 15_000 },
    );
    return { app, dataDir };
  };

  it('stores customers and statements in the seed-compatible and product tables', async () => {
    const { dataDir } = await startWith(FIRST);
    const db = new Database(join(dataDir, FILE_NAME), { fileMustExist: true });
    try {
      expect(db.prepare('SELECT nom, client_key FROM client_keys ORDER BY nom').all()).toEqual([
        { nom: 'Amine Tazi (2284309)', client_key: '2284309' },
        { nom: 'Amine Tazi (2284310)', client_key: '2284310' },
        { nom: 'Sara Alami', client_key: '77' },
      ]);
      expect(db.prepare("SELECT solde FROM solde_final WHERE nom = 'Sara Alami'").get()).toEqual({
        solde: newer.statement.closingBalance,
      });
      const simple = db.prepare("SELECT COUNT(*) AS n FROM simple_transactions WHERE nom = 'Sara Alami'").get();
      expect(simple).toEqual({ n: 12 });
      const detailed = db
        .prepare("SELECT COUNT(*) AS n FROM detailed_transactions WHERE nom = 'Amine Tazi (2284309)'")
        .get();
      expect(detailed).toEqual({ n: 4 }); // 2 sales × 2 product lines
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });

  it('replicates to S3 as a generation with a manifest and announces it', async () => {
    const { app } = await startWith(FIRST);
    const uploaded: unknown[] = [];
    const sub = bed.nats.ctx.nc.subscribe(bed.nats.ctx.subject('storage.snapshot.uploaded'), {
      callback: (_error, msg) => {
        uploaded.push(msg.json());
      },
    });
    const synced = await bed.synced(PHARMACY);
    expect(synced.generation).toBeGreaterThan(0);
    const manifest = await app.snapshots.readManifest(KEY);
    expect(manifest).toMatchObject({
      pharmacyId: PHARMACY,
      generation: synced.generation,
      schemaVersion: SCHEMA_VERSION,
    });
    expect(manifest!.key).toMatch(new RegExp(`^pharmacies/${KEY}/generations/\\d{12}\\.db\\.gz$`));
    // A new change makes a new generation, announced on storage.snapshot.uploaded.
    await bed.publish(nadia);
    await eventually(
      () =>
        expect(uploaded).toContainEqual(
          expect.objectContaining({ pharmacyId: PHARMACY, generation: synced.generation + 1 }),
        ),
      { timeoutMs: 15_000 },
    );
    sub.unsubscribe();
    const generations = await app.snapshots.listGenerations(KEY);
    expect(generations.map((g) => g.generation)).toContain(synced.generation + 1);
  });

  it('ignores an older parse delivered after a newer one, and redeliveries', async () => {
    await startWith(FIRST);
    const before = await bed.synced(PHARMACY);
    await bed.publish(parsed(older), parsed(newer)); // `newer` again: a replay of what is stored
    await eventually(() =>
      expect(bed.logs.text().match(/already stored or older/g)?.length ?? 0).toBeGreaterThanOrEqual(2),
    );
    const view = await statementOf('77');
    expect(view.transactions).toHaveLength(12);
    expect(view.statement.sourceSha256).toBe(newer.sourceSha256);
    expect(view.anomalies).toEqual(newer.statement.anomalies);
    expect((await status()).localChangeSeq).toBe(before.localChangeSeq);
  });

  it('replaces the rows of a period with a newer parse in one go', async () => {
    const { dataDir } = await startWith(FIRST);
    await bed.publish(parsed(replacement));
    await eventually(async () => {
      const view = await statementOf('2284309');
      expect(view.statement.sourceSha256).toBe(replacement.sourceSha256);
      expect(view.transactions).toHaveLength(4);
      expect(view.transactions[0]!.lines).toHaveLength(2);
    });
    const db = new Database(join(dataDir, FILE_NAME), { fileMustExist: true });
    try {
      expect(
        db.prepare("SELECT COUNT(*) AS n FROM simple_transactions WHERE nom = 'Amine Tazi (2284309)'").get(),
      ).toEqual({ n: 4 });
      expect(db.prepare("SELECT COUNT(*) AS n FROM transactions WHERE client_key = '2284309'").get()).toEqual({ n: 4 });
    } finally {
      db.close();
    }
  });

  it('answers the query API', async () => {
    await startWith(ALL);
    const { ctx } = bed.nats;
    const found = await requestRpc(ctx, storageCustomersRpc, { pharmacyId: PHARMACY, search: 'amine', limit: 1 });
    expect(found.total).toBe(2);
    expect(found.items).toHaveLength(1);
    expect(found.items[0]!.seedName).toMatch(/^Amine Tazi \(\d+\)$/);

    const balances = await requestRpc(ctx, storageBalancesRpc, { pharmacyId: PHARMACY, discrepanciesFirst: true });
    expect(balances.total).toBe(4);
    expect(balances.verdicts).toEqual({ ok: 3, ok_with_anomalies: 1, mismatch: 0, none: 0 });
    expect(balances.items[0]).toMatchObject({ clientKey: '77', verdict: 'ok_with_anomalies', difference: 0 });

    const totals = await requestRpc(ctx, storageTotalsRpc, { pharmacyId: PHARMACY, clientKey: '77' });
    const sales = newer.statement.transactions.filter((t) => t.kind === 'sale');
    expect(totals.sales.count).toBe(sales.length);
    expect(totals.sales.total).toBeCloseTo(
      sales.reduce((sum, t) => sum + t.total, 0),
      2,
    );
    expect(totals.balance).toBe(newer.statement.closingBalance);

    const ageing = await requestRpc(ctx, storageAgeingRpc, { pharmacyId: PHARMACY, asOf: '2025-01-09' });
    const all = await requestRpc(ctx, storageBalancesRpc, { pharmacyId: PHARMACY });
    const sumOfBalances = all.items.reduce((sum, b) => sum + Math.round((b.closingBalance ?? 0) * 100), 0) / 100;
    expect(ageing.overall.balance).toBeCloseTo(sumOfBalances, 2);

    const debtors = await requestRpc(ctx, storageDebtorsRpc, { pharmacyId: PHARMACY, limit: 2 });
    const owing = all.items.filter((b) => (b.closingBalance ?? 0) > 0).length;
    expect(debtors.items).toHaveLength(Math.min(2, owing));
    expect(
      debtors.items.every((d, i) => d.balance > 0 && (i === 0 || d.balance <= debtors.items[i - 1]!.balance)),
    ).toBe(true);
    expect(debtors.items[0]!.lastPaymentDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const csv = await requestRpc(ctx, storageExportCsvRpc, {
      pharmacyId: PHARMACY,
      dataset: 'transactions',
      separator: ';',
    });
    expect(csv.text.startsWith('\uFEFFclient_key;nom;date')).toBe(true);
    expect(csv.rows).toBe(4 + 6 + 12 + 6);
    expect(csv.nextCursor).toBeUndefined();

    const period = await requestRpc(ctx, storageStatementRpc, {
      pharmacyId: PHARMACY,
      clientKey: '77',
      from: '2017-01-01',
      to: '2025-01-09',
    });
    expect(period.statement).toMatchObject({ current: true, openingBalance: 250 });
    expect(period.periods).toEqual([{ from: '2017-01-01', to: '2025-01-09' }]);
    const missing = await requestRpc(ctx, storageStatementRpc, {
      pharmacyId: PHARMACY,
      clientKey: '77',
      from: '2020-01-01',
      to: '2020-12-31',
    }).catch((error) => error);
    expect(missing).toMatchObject({ code: 'NOT_FOUND', statusCode: 404 });

    const other = await requestRpc(ctx, storageCustomersRpc, { pharmacyId: 'someone.else@example.ma' });
    expect(other.total).toBe(0);
  });

  it('puts a consistent copy of the .db in the object store for download', async () => {
    await startWith(FIRST);
    const ref = await requestRpc(bed.nats.ctx, storageDownloadDbRpc, { pharmacyId: PHARMACY }, { timeoutMs: 15_000 });
    expect(ref.fileName).toBe(FILE_NAME);
    const store = await openObjectStore(bed.nats.ctx, ref.bucket);
    const bytes = await store.getBlob(ref.name);
    expect(bytes?.length).toBe(ref.size);
    expect(Buffer.from(bytes!.subarray(0, 15)).toString()).toBe('SQLite format 3');
  });

  it('restores the same logical database on an empty disk, and over a disk that fell behind', async () => {
    const { app, dataDir } = await startWith(FIRST);
    const first = await bed.synced(PHARMACY);
    // A copy of the database at an early generation: a disk that fell behind S3.
    const staleDir = bed.dir();
    const live = new Database(join(dataDir, FILE_NAME), { fileMustExist: true });
    await live.backup(join(staleDir, FILE_NAME));
    live.close();
    // Two more generations.
    await bed.publish(nadia);
    await eventually(async () => expect((await bed.synced(PHARMACY)).generation).toBe(first.generation + 1), {
      timeoutMs: 15_000,
    });
    await bed.publish(parsed(replacement));
    await eventually(async () => expect((await bed.synced(PHARMACY)).generation).toBe(first.generation + 2), {
      timeoutMs: 15_000,
    });

    expect(await requestRpc(bed.nats.ctx, storageRestoreRpc, { pharmacyId: PHARMACY })).toMatchObject({
      decision: 'keep-local',
    });
    const synced = await bed.synced(PHARMACY);
    // Only the configured number of generations is kept.
    const generations = await app.snapshots.listGenerations(KEY);
    expect(generations.map((g) => g.generation)).toEqual([synced.generation - 1, synced.generation]);
    await app.close();
    const original = dumpDatabase(join(dataDir, FILE_NAME));
    expect(dumpDatabase(join(staleDir, FILE_NAME))).not.toEqual(original);

    for (const dir of [bed.dir(), staleDir]) {
      const restoring = await bed.start(dir);
      const restored = await requestRpc(bed.nats.ctx, storageCustomersRpc, { pharmacyId: PHARMACY });
      expect(restored.total).toBe(4);
      expect(dumpDatabase(join(dir, FILE_NAME))).toEqual(original);
      await restoring.close();
    }
    expect(bed.logs.text().match(/database restored from S3/g)).toHaveLength(2);
  });

  it('builds the same database from a replay of every event, published twice', async () => {
    // What the events make when stored once, in order, straight into a database.
    const referenceDir = bed.dir();
    const reference = openPharmacyDatabase(join(referenceDir, FILE_NAME), PHARMACY);
    for (const event of ALL) {
      if (event.subject === 'sobrus.clients.extracted') storeCustomers(reference.sqlite, event.payload);
      else storeStatement(reference.sqlite, event.payload);
    }
    reference.sqlite.close();

    const dataDir = bed.dir();
    await bed.start(dataDir);
    await bed.publish(...ALL, ...ALL);
    await eventually(
      async () => {
        expect(await status()).toMatchObject({ state: 'synced' });
        const info = await bed.nats.ctx.jsm.consumers.info(
          bed.nats.ctx.resource('SOBRUS'),
          bed.nats.ctx.resource('storage-sync-statements'),
        );
        expect(info.num_pending + info.num_ack_pending).toBe(0);
        expect(dumpDatabase(join(dataDir, FILE_NAME))).toEqual(dumpDatabase(join(referenceDir, FILE_NAME)));
      },
      { timeoutMs: 20_000 },
    );
  });
});
