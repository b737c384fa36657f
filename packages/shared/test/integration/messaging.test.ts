import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createPgPool, runOnce } from '@pharma/shared/db';
import { consumeEvents, type EventPayload, ensureStreams, publishEvent } from '@pharma/shared/messaging';
import { captureLogs, createTestDatabase, createTestNats, eventually, type TestNats } from '@pharma/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const subject = 'registry.file.registered' as const;
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

function fileEvent(id: number): EventPayload<typeof subject> {
  return {
    id,
    filePath: `Сети/2025/06/Client/sales/file-${id}.xlsx`,
    dataProvider: 'Сеть',
    reportYear: 2025,
    reportMonth: 6,
    clientName: 'Client',
    reportType: 'sales',
    registeredAt: new Date().toISOString(),
  };
}

describe('JetStream messaging against a real NATS server', () => {
  let nats: TestNats;

  beforeAll(async () => {
    nats = await createTestNats();
    await ensureStreams(nats.ctx);
  });
  afterAll(async () => nats.cleanup());

  it('processes a message published twice with the same msg-id once', async () => {
    const seen: number[] = [];
    const { logger } = captureLogs();
    const consumer = await consumeEvents(nats.ctx, {
      subject,
      durable: 'dedupe-test',
      logger,
      handler: async (payload) => void seen.push(payload.id),
    });
    const first = await publishEvent(nats.ctx, subject, fileEvent(1), { msgId: 'file-1' });
    const second = await publishEvent(nats.ctx, subject, fileEvent(1), { msgId: 'file-1' });
    await publishEvent(nats.ctx, subject, fileEvent(2), { msgId: 'file-2' });
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    await eventually(() => expect(seen).toEqual([1, 2]));
    await consumer.stop();
  });

  it('redelivers a message whose consumer died before acking, and the effect happens once', async () => {
    // Own namespace: the child takes the first message it sees, so no other test's messages may be there.
    const nats = await createTestNats();
    await ensureStreams(nats.ctx, ['REGISTRY']);
    const db = await createTestDatabase();
    const pool = createPgPool(db.url, 2);
    await pool.query('CREATE TABLE processed_messages (message_id text PRIMARY KEY)');
    await pool.query('CREATE TABLE effects (file_id integer NOT NULL)');
    const env = {
      ...process.env,
      NATS_URL: nats.url,
      NATS_PREFIX: nats.prefix,
      DATABASE_URL: db.url,
      ACK_WAIT_MS: '1000',
    };
    const child = spawn(process.execPath, ['--import', 'tsx', fixture('crashing-consumer.ts')], {
      env,
      stdio: 'inherit',
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    // The child is ready once its durable consumer exists.
    await eventually(() => nats.ctx.jsm.consumers.info(nats.ctx.resource('REGISTRY'), nats.ctx.resource('crash-test')));
    await publishEvent(nats.ctx, subject, fileEvent(10), { msgId: 'file-10' });
    expect(await exited).toBe(137);

    const deliveries: { duplicate: boolean; deliveryCount: number }[] = [];
    const { logger } = captureLogs();
    const recovered = await consumeEvents(nats.ctx, {
      subject,
      durable: 'crash-test',
      ackWaitMs: 1000,
      logger,
      handler: async (payload, { msgId, deliveryCount }) => {
        const { duplicate } = await runOnce(pool, 'processed_messages', msgId ?? '', async (client) => {
          await client.query('INSERT INTO effects (file_id) VALUES ($1)', [payload.id]);
        });
        deliveries.push({ duplicate, deliveryCount });
      },
    });
    await eventually(() => expect(deliveries).toEqual([{ duplicate: true, deliveryCount: 2 }]), { timeoutMs: 15_000 });
    await recovered.stop();
    const { rows } = await pool.query('SELECT file_id FROM effects');
    expect(rows).toEqual([{ file_id: 10 }]);
    await pool.end();
    await db.drop();
    await nats.cleanup();
  });

  it('terminates a payload that violates its schema with a logged reason, and keeps consuming', async () => {
    const seen: number[] = [];
    const logs = captureLogs();
    const consumer = await consumeEvents(nats.ctx, {
      subject,
      durable: 'poison-test',
      logger: logs.logger,
      handler: async (payload) => void seen.push(payload.id),
    });
    await nats.ctx.js.publish(nats.ctx.subject(subject), JSON.stringify({ id: 'not-a-number' }), { msgID: 'bad-1' });
    await nats.ctx.js.publish(nats.ctx.subject(subject), '{not json', { msgID: 'bad-2' });
    await publishEvent(nats.ctx, subject, fileEvent(20), { msgId: 'file-20' });
    await eventually(() => expect(seen).toContain(20));
    const rejected = logs.lines().filter((line) => String(line.msg).startsWith('event rejected'));
    expect(rejected.map((line) => line.msg)).toEqual([
      'event rejected: payload violates schema',
      'event rejected: body is not JSON',
    ]);
    expect(rejected[0]).toMatchObject({ subject, msgId: 'bad-1' });
    await consumer.stop();
  });

  it('refuses to publish a payload that violates its schema', async () => {
    const bad = { ...fileEvent(30), reportYear: 'twenty' } as unknown as EventPayload<typeof subject>;
    await expect(publishEvent(nats.ctx, subject, bad, { msgId: 'file-30' })).rejects.toThrow(/reportYear/);
  });
});
