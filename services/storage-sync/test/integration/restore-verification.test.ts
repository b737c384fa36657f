import { copyFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { storageCustomersRpc, storageStatusRpc } from '@pharma/shared/contracts';
import { publishEvent, RpcRemoteError, requestRpc } from '@pharma/shared/messaging';
import {
  captureLogs,
  createTestBucket,
  createTestNats,
  eventually,
  type TestBucket,
  type TestNats,
} from '@pharma/testkit';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPharmacyDatabase } from '../../src/db/pharmacy-database.js';
import { storeStatement } from '../../src/repositories/statements.repository.js';
import { statementEvent } from '../factories.js';
import { dumpDatabase, startStorageSync, tempDir } from '../helpers.js';

const PHARMACY = 'verify@example.ma';
const FILE_NAME = 'pharmacie_verify_at_example_ma.db';

describe('storage-sync restore verification', () => {
  let nats: TestNats;
  let bucket: TestBucket;
  let app: FastifyInstance | undefined;
  const logs = captureLogs('storage-sync');
  const dirs = [tempDir(), tempDir(), tempDir(), tempDir()];
  const start = (dataDir: string) =>
    startStorageSync({
      natsUrl: nats.url,
      prefix: nats.prefix,
      s3: bucket.s3,
      bucket: bucket.bucket,
      dataDir,
      logger: logs.logger,
    });

  beforeAll(async () => {
    nats = await createTestNats();
    bucket = await createTestBucket();
  });

  afterAll(async () => {
    await app?.close();
    await nats.cleanup();
    bucket.client.destroy();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('never uploads over a newer generation: a disk behind S3 with its own changes is restored, its changes kept aside', async () => {
    const pharmacyId = 'split@example.ma';
    const file = 'pharmacie_split_at_example_ma.db';
    const status = () => requestRpc(nats.ctx, storageStatusRpc, { pharmacyId });
    const waitSynced = () =>
      eventually(async () => expect((await status()).state).toBe('synced'), { timeoutMs: 15_000 });
    app = await start(dirs[2]!);
    await publishEvent(nats.ctx, 'sobrus.statement.parsed', statementEvent({ pharmacyId, clientKey: '1' }), {
      msgId: 's1',
    });
    await waitSynced();
    await app.close();
    app = undefined;
    // A second disk holding that generation, which then takes changes of its own that never reach S3.
    copyFileSync(join(dirs[2]!, file), join(dirs[3]!, file));
    const offline = openPharmacyDatabase(join(dirs[3]!, file), pharmacyId);
    storeStatement(offline.sqlite, statementEvent({ pharmacyId, clientKey: '2' }));
    offline.sqlite.close();
    // Meanwhile S3 moves on from the first disk.
    app = await start(dirs[2]!);
    await publishEvent(nats.ctx, 'sobrus.statement.parsed', statementEvent({ pharmacyId, clientKey: '3' }), {
      msgId: 's3',
    });
    await eventually(async () => expect((await status()).localChangeSeq).toBe(2));
    await waitSynced();
    await app.close();
    app = undefined;
    const latest = dumpDatabase(join(dirs[2]!, file));

    app = await start(dirs[3]!);
    await waitSynced();
    expect(dumpDatabase(join(dirs[3]!, file))).toEqual(latest);
    const kept = readdirSync(dirs[3]!).filter((name) => name.startsWith(`${file}.unsynced-`) && !name.endsWith('-wal'));
    expect(kept).toHaveLength(1);
    expect(
      dumpDatabase(join(dirs[3]!, kept[0]!)).statements!.some((row) => String(row).includes('"client_key":"2"')),
    ).toBe(true);
    const manifest = await app.snapshots.readManifest('pharmacie_split_at_example_ma');
    expect(manifest!.changeSeq).toBe(2);
    await app.close();
    app = undefined;
  });

  it('refuses a generation whose bytes do not match its manifest, leaving the disk untouched', async () => {
    app = await start(dirs[0]!);
    await publishEvent(nats.ctx, 'sobrus.statement.parsed', statementEvent({ pharmacyId: PHARMACY, clientKey: '1' }), {
      msgId: 'one',
    });
    await eventually(
      async () => expect((await requestRpc(nats.ctx, storageStatusRpc, { pharmacyId: PHARMACY })).state).toBe('synced'),
      {
        timeoutMs: 15_000,
      },
    );
    const manifest = (await app.snapshots.readManifest('pharmacie_verify_at_example_ma'))!;
    await app.close();
    app = undefined;

    // Same size, other bytes: only the checksum can tell.
    await bucket.client.send(
      new PutObjectCommand({ Bucket: bucket.bucket, Key: manifest.key, Body: Buffer.alloc(manifest.size, 7) }),
    );
    app = await start(dirs[1]!);
    const refused = await requestRpc(nats.ctx, storageCustomersRpc, { pharmacyId: PHARMACY }).catch((error) => error);
    expect(refused).toBeInstanceOf(RpcRemoteError);
    expect(refused).toMatchObject({ code: 'SNAPSHOT_CORRUPT', statusCode: 503 });
    expect(existsSync(join(dirs[1]!, FILE_NAME))).toBe(false);
    expect(readdirSync(join(dirs[1]!, '.tmp'))).toEqual([]);
  });
});
