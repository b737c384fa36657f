import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { storageCustomersRpc, storageStatusRpc } from '@pharma/shared/contracts';
import { RpcRemoteError, requestRpc } from '@pharma/shared/messaging';
import { eventually } from '@pharma/testkit';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { openPharmacyDatabase } from '../../src/db/pharmacy-database.js';
import { storeStatement } from '../../src/repositories/statements.repository.js';
import { statementEvent } from '../factories.js';
import { dumpDatabase, parsed, storageSyncTestbed } from '../helpers.js';

const PHARMACY = 'verify@example.ma';
const FILE_NAME = 'pharmacie_verify_at_example_ma.db';

describe('storage-sync restore verification', () => {
  const bed = storageSyncTestbed();
  let app: FastifyInstance | undefined;
  const dirs = [bed.dir(), bed.dir(), bed.dir(), bed.dir()];
  const start = (dataDir: string) => bed.start(dataDir);

  it('never uploads over a newer generation: a disk behind S3 with its own changes is restored, its changes kept aside', async () => {
    const pharmacyId = 'split@example.ma';
    const file = 'pharmacie_split_at_example_ma.db';
    const status = () => requestRpc(bed.nats.ctx, storageStatusRpc, { pharmacyId });
    const waitSynced = () => bed.synced(pharmacyId);
    app = await start(dirs[2]!);
    await bed.publish(parsed(statementEvent({ pharmacyId, clientKey: '1' })));
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
    await bed.publish(parsed(statementEvent({ pharmacyId, clientKey: '3' })));
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
    await bed.publish(parsed(statementEvent({ pharmacyId: PHARMACY, clientKey: '1' })));
    await bed.synced(PHARMACY);
    const manifest = (await app.snapshots.readManifest('pharmacie_verify_at_example_ma'))!;
    await app.close();
    app = undefined;

    // Same size, other bytes: only the checksum can tell.
    await bed.bucket.client.send(
      new PutObjectCommand({ Bucket: bed.bucket.bucket, Key: manifest.key, Body: Buffer.alloc(manifest.size, 7) }),
    );
    app = await start(dirs[1]!);
    const refused = await requestRpc(bed.nats.ctx, storageCustomersRpc, { pharmacyId: PHARMACY }).catch(
      (error) => error,
    );
    expect(refused).toBeInstanceOf(RpcRemoteError);
    expect(refused).toMatchObject({ code: 'SNAPSHOT_CORRUPT', statusCode: 503 });
    expect(existsSync(join(dirs[1]!, FILE_NAME))).toBe(false);
    expect(readdirSync(join(dirs[1]!, '.tmp'))).toEqual([]);
  });
});
