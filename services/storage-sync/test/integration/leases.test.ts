import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { storageCustomersRpc, storageStatusRpc } from '@pharma/shared/contracts';
import { publishEvent, requestRpc } from '@pharma/shared/messaging';
import { eventually } from '@pharma/testkit';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { statementEvent } from '../factories.js';
import { dumpDatabase, storageSyncTestbed } from '../helpers.js';

const PHARMACIES = ['north@example.ma', 'south@example.ma'];
const fileOf = (pharmacyId: string) => `pharmacie_${pharmacyId.replace('@', '_at_').replaceAll('.', '_')}.db`;

describe('storage-sync with several instances', () => {
  const bed = storageSyncTestbed();
  const instances: { id: string; dir: string; app?: FastifyInstance }[] = [
    { id: 'instance-a', dir: bed.dir() },
    { id: 'instance-b', dir: bed.dir() },
  ];
  let msg = 0;

  const publishStatements = async (pharmacyId: string, keys: string[], downloadedAt?: string) => {
    for (const key of keys) {
      await publishEvent(
        bed.nats.ctx,
        'sobrus.statement.parsed',
        statementEvent({ pharmacyId, clientKey: key, seed: Number(key), downloadedAt }),
        { msgId: `m${++msg}`, correlationId: `trace-${pharmacyId}-${key}` },
      );
    }
  };
  const holder = (pharmacyId: string) => instances.find((i) => existsSync(join(i.dir, fileOf(pharmacyId))));

  beforeAll(async () => {
    for (const instance of instances) instance.app = await bed.start(instance.dir, { instanceId: instance.id });
  });

  it('lets one instance write each pharmacy and answers from any instance', async () => {
    // Each instance takes one pharmacy first (asked on its own subject), so events for it reaching the other
    // instance have to be handed over, however JetStream spreads them.
    for (const [index, pharmacyId] of PHARMACIES.entries()) {
      const own = { ...storageStatusRpc, subject: `${storageStatusRpc.subject}.instance.${instances[index]!.id}` };
      await requestRpc(bed.nats.ctx, own, { pharmacyId });
    }
    const keys = Array.from({ length: 8 }, (_, i) => String(100 + i));
    for (const pharmacyId of PHARMACIES) await publishStatements(pharmacyId, keys);

    for (const pharmacyId of PHARMACIES) {
      await eventually(
        async () => {
          // Requests land on either instance (queue group); the non-owner forwards to the owner.
          for (let i = 0; i < 6; i++) {
            const customers = await requestRpc(bed.nats.ctx, storageCustomersRpc, { pharmacyId });
            expect(customers.total).toBe(keys.length);
          }
        },
        { timeoutMs: 20_000 },
      );
      const owners = instances.filter((i) => existsSync(join(i.dir, fileOf(pharmacyId))));
      expect(owners.map((o) => o.id)).toEqual([instances[PHARMACIES.indexOf(pharmacyId)]!.id]);
    }
    // Events that reached the instance not holding their pharmacy were handed over, never given up.
    expect(bed.logs.text()).toContain('event handed to the owning instance');
    expect(bed.logs.text()).not.toContain('event given up');
    // Each statement is logged as stored under the correlation id of its event, handed over or not.
    const stored = bed.logs.lines().filter((line) => line.msg === 'statement stored');
    for (const pharmacyId of PHARMACIES) {
      for (const key of keys) {
        const lines = stored.filter((line) => line.pharmacyId === pharmacyId && line.clientKey === key);
        expect(lines.length, `${pharmacyId} ${key}`).toBeGreaterThan(0);
        for (const line of lines) expect(line.correlationId).toBe(`trace-${pharmacyId}-${key}`);
      }
    }
    expect(stored.some((line) => line.handedOver === true)).toBe(true);
    // An upload serves every event since the last one: it is nobody's in particular.
    // Replication runs on its own timer: wait for the first upload rather than assume it happened already.
    const uploads = await eventually(
      () => {
        const lines = bed.logs.lines().filter((line) => line.msg === 'snapshot uploaded');
        expect(lines.length).toBeGreaterThan(0);
        return lines;
      },
      { timeoutMs: 20_000 },
    );
    expect(uploads.filter((line) => line.correlationId !== undefined)).toEqual([]);
  });

  it('hands a pharmacy over when its owner stops, continuing from S3', async () => {
    const pharmacyId = PHARMACIES[0]!;
    const owner = holder(pharmacyId)!;
    const other = instances.find((i) => i !== owner)!;
    await eventually(
      async () => expect((await requestRpc(bed.nats.ctx, storageStatusRpc, { pharmacyId })).state).toBe('synced'),
      {
        timeoutMs: 15_000,
      },
    );
    const before = dumpDatabase(join(owner.dir, fileOf(pharmacyId)));
    await owner.app!.close();
    owner.app = undefined;

    await publishStatements(pharmacyId, ['900'], '2025-01-11T00:00:00.000Z');
    await eventually(
      async () => {
        const customers = await requestRpc(bed.nats.ctx, storageCustomersRpc, { pharmacyId });
        expect(customers.total).toBe(9);
      },
      { timeoutMs: 20_000 },
    );
    const after = dumpDatabase(join(other.dir, fileOf(pharmacyId)));
    expect(after.statements).toHaveLength(9);
    // Everything the first owner wrote came across through S3.
    expect(before.transactions!.length).toBe(8 * 6);
    for (const row of before.transactions!) expect(after.transactions).toContain(row);
  });
});
