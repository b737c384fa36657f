import { join } from 'node:path';
import { storageCustomersRpc, storageStatusRpc } from '@pharma/shared/contracts';
import { JobStore, requestRpc } from '@pharma/shared/messaging';
import { eventually, type TestInfra } from '@pharma/testkit';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientsEvent, statementEvent } from '../factories.js';
import { dumpDatabase, extracted, parsed, storageSyncTestbed } from '../helpers.js';
import { LocalS3Server } from '../s3-server.js';

const PHARMACY = 'outage@example.ma';
const FILE_NAME = 'pharmacie_outage_at_example_ma.db';
const BUCKET = 'outage-test';

describe('storage-sync while S3 is down', () => {
  // The other tests verify by ETag; this one reads every upload back.
  const bed = storageSyncTestbed({ bucket: false, env: { STORAGE_SYNC_VERIFY_UPLOAD: 'read-back' } });
  let app: FastifyInstance | undefined;
  const dataDir = bed.dir();
  const server = new LocalS3Server(bed.dir('s3-'), BUCKET);
  let s3: TestInfra['s3'];

  const start = (dir: string) => bed.start(dir, { s3, bucket: BUCKET });
  const status = () => requestRpc(bed.nats.ctx, storageStatusRpc, { pharmacyId: PHARMACY });
  const statement = (clientKey: string, jobId: string) =>
    bed.publish(
      parsed({ ...statementEvent({ pharmacyId: PHARMACY, clientKey, seed: Number(clientKey), count: 30 }), jobId }),
    );

  beforeAll(async () => {
    await server.start();
    s3 = {
      endpoint: server.endpoint,
      region: 'us-east-1',
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
      checksums: 'WHEN_REQUIRED',
    };
    app = await start(dataDir);
  });

  afterAll(async () => {
    await app?.close();
    await server.stop();
  });

  it('keeps writing locally, says it is behind, and catches up when S3 returns', async () => {
    const jobs = await JobStore.open(bed.nats.ctx);
    await jobs.create({ id: 'job-during-outage', kind: 'statements.refresh', owner: PHARMACY });

    await bed.publish(
      extracted(
        clientsEvent(PHARMACY, [
          { clientKey: '1', name: 'Karim Bennani' },
          { clientKey: '2', name: 'Leila Chraibi' },
        ]),
      ),
    );
    await statement('1', 'job-before');
    await eventually(
      async () => {
        const s = await status();
        expect(s).toMatchObject({ state: 'synced', behind: false });
        expect(s.generation).toBeGreaterThan(0);
      },
      { timeoutMs: 15_000 },
    );

    await server.stop();
    for (const key of ['2', '3', '4']) await statement(key, 'job-during-outage');

    // Local work goes on: every statement is queryable at once.
    await eventually(async () => {
      const customers = await requestRpc(bed.nats.ctx, storageCustomersRpc, { pharmacyId: PHARMACY });
      expect(customers.items.filter((c) => c.balance !== null)).toHaveLength(4);
    });
    const behind = await eventually(
      async () => {
        const s = await status();
        expect(s).toMatchObject({ state: 'behind', behind: true });
        expect(s.consecutiveFailures).toBeGreaterThanOrEqual(2);
        return s;
      },
      { timeoutMs: 15_000 },
    );
    expect(behind.localChangeSeq).toBeGreaterThan(behind.uploadedChangeSeq);
    const notReady = await app!.inject({ method: 'GET', url: '/readyz' });
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json().checks.replication.message).toContain(PHARMACY);
    await eventually(async () =>
      expect((await jobs.get('job-during-outage'))?.result?.storage).toMatchObject({
        replication: 'behind',
        behind: true,
      }),
    );

    await server.start();
    const caughtUp = await eventually(
      async () => {
        const s = await status();
        expect(s).toMatchObject({ state: 'synced', behind: false });
        return s;
      },
      { timeoutMs: 20_000 },
    );
    expect(caughtUp.uploadedChangeSeq).toBe(behind.localChangeSeq);
    expect((await app!.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    await eventually(async () =>
      expect((await jobs.get('job-during-outage'))?.result?.storage).toMatchObject({
        replication: 'synced',
        behind: false,
      }),
    );
    const manifest = await app!.snapshots.readManifest('pharmacie_outage_at_example_ma');
    expect(manifest!.changeSeq).toBe(caughtUp.localChangeSeq);

    // Nothing was lost: a fresh disk restored from S3 holds every row.
    await app!.close();
    app = undefined;
    const original = dumpDatabase(join(dataDir, FILE_NAME));
    const emptyDir = bed.dir();
    app = await start(emptyDir);
    await requestRpc(bed.nats.ctx, storageStatusRpc, { pharmacyId: PHARMACY });
    expect(dumpDatabase(join(emptyDir, FILE_NAME))).toEqual(original);
    expect(original.statements).toHaveLength(4);
  });
});
