import { rmSync } from 'node:fs';
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
import { type EventSubject, openObjectStore, publishEvent, requestRpc } from '@pharma/shared/messaging';
import {
  captureLogs,
  createTestBucket,
  createTestNats,
  eventually,
  type TestBucket,
  type TestNats,
} from '@pharma/testkit';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/db/pharmacy-database.js';
import { clientsEvent, type StatementEvent, statementEvent } from '../factories.js';
import { dumpDatabase, startStorageSync, tempDir } from '../helpers.js';

const PHARMACY = 'pharmacie.centrale@example.ma';

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
const FILE_NAME = 'pharmacie_pharmacie_centrale_at_example_ma.db';

describe('storage-sync: events to rows to S3, restore and replay', () => {
  let nats: TestNats;
  let bucket: TestBucket;
  let app: FastifyInstance | undefined;
  const logs = captureLogs('storage-sync');
  const dataDir = tempDir();
  /** A copy of the database taken at an early generation: a disk that fell behind S3. */
  const staleDir = tempDir();
  const published: { subject: EventSubject; payload: unknown }[] = [];
  let msgCounter = 0;

  const publish = async (
    subject: 'sobrus.clients.extracted' | 'sobrus.statement.parsed',
    payload: unknown,
    ctx = nats.ctx,
  ) => {
    published.push({ subject, payload });
    // biome-ignore lint/suspicious/noExplicitAny: the payload matches the subject by construction
    await publishEvent(ctx, subject, payload as any, { msgId: `m${++msgCounter}` });
  };
  const start = (dir: string, prefix = nats.prefix, bucketName = bucket.bucket) =>
    startStorageSync({
      natsUrl: nats.url,
      prefix,
      s3: bucket.s3,
      bucket: bucketName,
      dataDir: dir,
      logger: logs.logger,
      env: { STORAGE_SYNC_GENERATIONS_KEPT: '2' },
    });
  const status = () => requestRpc(nats.ctx, storageStatusRpc, { pharmacyId: PHARMACY });

  beforeAll(async () => {
    nats = await createTestNats();
    bucket = await createTestBucket();
    app = await start(dataDir);
  });

  afterAll(async () => {
    await app?.close();
    await nats.cleanup();
    bucket.client.destroy();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(staleDir, { recursive: true, force: true });
  });

  const customers = [
    { clientKey: '2284309', name: 'Amine Tazi', phone: '0600000001' },
    { clientKey: '2284310', name: 'Amine Tazi', email: 'amine@example.ma' },
    { clientKey: '77', name: 'Sara Alami', organisme: 'CNSS', immatriculation: 'A-1' },
  ];
  const newer = withAnomaly(
    statementEvent({ pharmacyId: PHARMACY, clientKey: '77', count: 12, seed: 3, opening: 250 }),
  );

  it('stores customers and statements in the seed-compatible and product tables', async () => {
    await publish('sobrus.clients.extracted', clientsEvent(PHARMACY, customers));
    await publish('sobrus.statement.parsed', statementEvent({ pharmacyId: PHARMACY, clientKey: '2284309', seed: 1 }));
    await publish('sobrus.statement.parsed', statementEvent({ pharmacyId: PHARMACY, clientKey: '2284310', seed: 2 }));
    await publish('sobrus.statement.parsed', newer);

    const file = join(dataDir, FILE_NAME);
    await eventually(() => expect(dumpDatabase(file).statements).toHaveLength(3), { timeoutMs: 15_000 });
    const db = new Database(file, { fileMustExist: true });
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
    const uploaded: unknown[] = [];
    const sub = nats.ctx.nc.subscribe(nats.ctx.subject('storage.snapshot.uploaded'), {
      callback: (_error, msg) => {
        uploaded.push(msg.json());
      },
    });
    const synced = await eventually(
      async () => {
        const s = await status();
        expect(s).toMatchObject({ state: 'synced', behind: false });
        expect(s.generation).toBeGreaterThan(0);
        return s;
      },
      { timeoutMs: 15_000 },
    );
    const live = new Database(join(dataDir, FILE_NAME), { fileMustExist: true });
    await live.backup(join(staleDir, FILE_NAME));
    live.close();
    const manifest = await app!.snapshots.readManifest('pharmacie_pharmacie_centrale_at_example_ma');
    expect(manifest).toMatchObject({
      pharmacyId: PHARMACY,
      generation: synced.generation,
      schemaVersion: SCHEMA_VERSION,
    });
    expect(manifest!.key).toMatch(
      /^pharmacies\/pharmacie_pharmacie_centrale_at_example_ma\/generations\/\d{12}\.db\.gz$/,
    );
    // A new change makes a new generation, announced on storage.snapshot.uploaded.
    await publish(
      'sobrus.statement.parsed',
      statementEvent({ pharmacyId: PHARMACY, clientKey: '99', seed: 9, customerName: 'Nadia Idrissi' }),
    );
    await eventually(
      () =>
        expect(uploaded).toContainEqual(
          expect.objectContaining({ pharmacyId: PHARMACY, generation: synced.generation + 1 }),
        ),
      {
        timeoutMs: 15_000,
      },
    );
    sub.unsubscribe();
    const generations = await app!.snapshots.listGenerations('pharmacie_pharmacie_centrale_at_example_ma');
    expect(generations.map((g) => g.generation)).toContain(synced.generation + 1);
  });

  it('ignores an older parse delivered after a newer one, and redeliveries', async () => {
    const before = await eventually(async () => {
      const s = await status();
      expect(s.state).toBe('synced');
      return s;
    });
    const older = statementEvent({
      pharmacyId: PHARMACY,
      clientKey: '77',
      count: 3,
      seed: 42,
      downloadedAt: '2025-01-09T09:00:00.000Z',
      parsedAt: '2025-01-11T09:00:00.000Z',
    });
    await publish('sobrus.statement.parsed', older);
    await publish('sobrus.statement.parsed', newer); // a replay of what is stored
    await eventually(() =>
      expect(logs.text().match(/already stored or older/g)?.length ?? 0).toBeGreaterThanOrEqual(2),
    );
    const view = await requestRpc(nats.ctx, storageStatementRpc, { pharmacyId: PHARMACY, clientKey: '77' });
    expect(view.transactions).toHaveLength(12);
    expect(view.statement.sourceSha256).toBe(newer.sourceSha256);
    expect(view.anomalies).toEqual(newer.statement.anomalies);
    expect((await status()).localChangeSeq).toBe(before.localChangeSeq);
  });

  it('replaces the rows of a period with a newer parse in one go', async () => {
    const replacement = statementEvent({
      pharmacyId: PHARMACY,
      clientKey: '2284309',
      count: 4,
      seed: 5,
      downloadedAt: '2025-01-12T09:00:00.000Z',
    });
    await publish('sobrus.statement.parsed', replacement);
    await eventually(async () => {
      const view = await requestRpc(nats.ctx, storageStatementRpc, { pharmacyId: PHARMACY, clientKey: '2284309' });
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
    const found = await requestRpc(nats.ctx, storageCustomersRpc, { pharmacyId: PHARMACY, search: 'amine', limit: 1 });
    expect(found.total).toBe(2);
    expect(found.items).toHaveLength(1);
    expect(found.items[0]!.seedName).toMatch(/^Amine Tazi \(\d+\)$/);

    const balances = await requestRpc(nats.ctx, storageBalancesRpc, { pharmacyId: PHARMACY, discrepanciesFirst: true });
    expect(balances.total).toBe(4);
    expect(balances.verdicts).toEqual({ ok: 3, ok_with_anomalies: 1, mismatch: 0, none: 0 });
    expect(balances.items[0]).toMatchObject({ clientKey: '77', verdict: 'ok_with_anomalies', difference: 0 });

    const totals = await requestRpc(nats.ctx, storageTotalsRpc, { pharmacyId: PHARMACY, clientKey: '77' });
    const sales = newer.statement.transactions.filter((t) => t.kind === 'sale');
    expect(totals.sales.count).toBe(sales.length);
    expect(totals.sales.total).toBeCloseTo(
      sales.reduce((sum, t) => sum + t.total, 0),
      2,
    );
    expect(totals.balance).toBe(newer.statement.closingBalance);

    const ageing = await requestRpc(nats.ctx, storageAgeingRpc, { pharmacyId: PHARMACY, asOf: '2025-01-09' });
    const all = await requestRpc(nats.ctx, storageBalancesRpc, { pharmacyId: PHARMACY });
    const sumOfBalances = all.items.reduce((sum, b) => sum + Math.round((b.closingBalance ?? 0) * 100), 0) / 100;
    expect(ageing.overall.balance).toBeCloseTo(sumOfBalances, 2);

    const debtors = await requestRpc(nats.ctx, storageDebtorsRpc, { pharmacyId: PHARMACY, limit: 2 });
    const owing = all.items.filter((b) => (b.closingBalance ?? 0) > 0).length;
    expect(debtors.items).toHaveLength(Math.min(2, owing));
    expect(
      debtors.items.every((d, i) => d.balance > 0 && (i === 0 || d.balance <= debtors.items[i - 1]!.balance)),
    ).toBe(true);
    expect(debtors.items[0]!.lastPaymentDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const csv = await requestRpc(nats.ctx, storageExportCsvRpc, {
      pharmacyId: PHARMACY,
      dataset: 'transactions',
      separator: ';',
    });
    expect(csv.text.startsWith('\uFEFFclient_key;nom;date')).toBe(true);
    expect(csv.rows).toBe(4 + 6 + 12 + 6);
    expect(csv.nextCursor).toBeUndefined();

    const period = await requestRpc(nats.ctx, storageStatementRpc, {
      pharmacyId: PHARMACY,
      clientKey: '77',
      from: '2017-01-01',
      to: '2025-01-09',
    });
    expect(period.statement).toMatchObject({ current: true, openingBalance: 250 });
    expect(period.periods).toEqual([{ from: '2017-01-01', to: '2025-01-09' }]);
    const missing = await requestRpc(nats.ctx, storageStatementRpc, {
      pharmacyId: PHARMACY,
      clientKey: '77',
      from: '2020-01-01',
      to: '2020-12-31',
    }).catch((error) => error);
    expect(missing).toMatchObject({ code: 'NOT_FOUND', statusCode: 404 });

    const other = await requestRpc(nats.ctx, storageCustomersRpc, { pharmacyId: 'someone.else@example.ma' });
    expect(other.total).toBe(0);
  });

  it('puts a consistent copy of the .db in the object store for download', async () => {
    const ref = await requestRpc(nats.ctx, storageDownloadDbRpc, { pharmacyId: PHARMACY }, { timeoutMs: 15_000 });
    expect(ref.fileName).toBe(FILE_NAME);
    const store = await openObjectStore(nats.ctx, ref.bucket);
    const bytes = await store.getBlob(ref.name);
    expect(bytes?.length).toBe(ref.size);
    expect(Buffer.from(bytes!.subarray(0, 15)).toString()).toBe('SQLite format 3');
  });

  it('restores the same logical database on an empty disk, and over a disk that fell behind', async () => {
    expect(await requestRpc(nats.ctx, storageRestoreRpc, { pharmacyId: PHARMACY })).toMatchObject({
      decision: 'keep-local',
    });
    const synced = await eventually(
      async () => {
        const s = await status();
        expect(s.state).toBe('synced');
        return s;
      },
      { timeoutMs: 15_000 },
    );
    // Only the configured number of generations is kept.
    const generations = await app!.snapshots.listGenerations('pharmacie_pharmacie_centrale_at_example_ma');
    expect(synced.generation).toBeGreaterThanOrEqual(3);
    expect(generations.map((g) => g.generation)).toEqual([synced.generation - 1, synced.generation]);
    await app!.close();
    app = undefined;
    const original = dumpDatabase(join(dataDir, FILE_NAME));
    expect(dumpDatabase(join(staleDir, FILE_NAME))).not.toEqual(original);

    const emptyDir = tempDir();
    try {
      for (const dir of [emptyDir, staleDir]) {
        app = await start(dir);
        const restored = await requestRpc(nats.ctx, storageCustomersRpc, { pharmacyId: PHARMACY });
        expect(restored.total).toBe(4);
        expect(dumpDatabase(join(dir, FILE_NAME))).toEqual(original);
        await app.close();
        app = undefined;
      }
      expect(logs.text().match(/database restored from S3/g)).toHaveLength(2);
    } finally {
      rmSync(emptyDir, { recursive: true, force: true });
    }
  });

  it('builds the same database from a replay of every event, published twice', async () => {
    const original = dumpDatabase(join(dataDir, FILE_NAME));
    const replayNats = await createTestNats();
    const replayBucket = await createTestBucket();
    const replayDir = tempDir();
    const events = [...published];
    let replayApp: FastifyInstance | undefined;
    try {
      replayApp = await startStorageSync({
        natsUrl: replayNats.url,
        prefix: replayNats.prefix,
        s3: replayBucket.s3,
        bucket: replayBucket.bucket,
        dataDir: replayDir,
        logger: logs.logger,
      });
      for (const round of [1, 2]) {
        for (const [index, event] of events.entries()) {
          // biome-ignore lint/suspicious/noExplicitAny: recorded payloads of their subjects
          await publishEvent(replayNats.ctx, event.subject, event.payload as any, { msgId: `r${round}-${index}` });
        }
      }
      await eventually(
        async () => {
          const s = await requestRpc(replayNats.ctx, storageStatusRpc, { pharmacyId: PHARMACY });
          expect(s.state).toBe('synced');
          const info = await replayNats.ctx.jsm.consumers.info(
            replayNats.ctx.resource('SOBRUS'),
            replayNats.ctx.resource('storage-sync-statements'),
          );
          expect(info.num_pending + info.num_ack_pending).toBe(0);
        },
        { timeoutMs: 20_000 },
      );
      expect(dumpDatabase(join(replayDir, FILE_NAME))).toEqual(original);
    } finally {
      await replayApp?.close();
      await replayNats.cleanup();
      replayBucket.client.destroy();
      rmSync(replayDir, { recursive: true, force: true });
    }
  });
});
