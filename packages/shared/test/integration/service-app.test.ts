import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError, NotFoundError } from '@pharma/shared/errors';
import { createServiceApp, natsPlugin, postgresPlugin } from '@pharma/shared/fastify';
import { consumeEvents, ensureStreams, publishEvent } from '@pharma/shared/messaging';
import {
  captureLogs,
  createTestDatabase,
  createTestNats,
  eventually,
  type TestDatabase,
  type TestNats,
} from '@pharma/testkit';
import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

async function emptyMigrations(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'migrations-'));
  await mkdir(join(folder, 'meta'));
  await writeFile(
    join(folder, 'meta/_journal.json'),
    JSON.stringify({ version: '7', dialect: 'postgresql', entries: [] }),
  );
  return folder;
}

/** A service app named `demo`, logging to memory; with its NATS connection when given one. */
async function demoApp(nats?: TestNats) {
  const { logger } = captureLogs();
  const app = await createServiceApp({ service: 'demo', version: '1.0.0', logger });
  if (nats) await app.register(natsPlugin, { url: nats.url, prefix: nats.prefix });
  return { app, logger };
}

/** Publishes one `sales.analyses.updated` event; its run id is the message id. */
function publishAnalyses(nats: TestNats, runId: string, totalRevenue: number) {
  return publishEvent(
    nats.ctx,
    'sales.analyses.updated',
    { runId, computedAt: new Date().toISOString(), totalRevenue },
    { msgId: runId },
  );
}

describe('service bootstrap', () => {
  let nats: TestNats;
  let db: TestDatabase;

  beforeAll(async () => {
    nats = await createTestNats();
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await nats.cleanup();
    await db.drop();
  });

  it('shapes errors: fields on 400, code on 4xx, nothing internal on 5xx', async () => {
    const { app } = await demoApp();
    app.post(
      '/things',
      { schema: { body: Type.Object({ name: Type.String(), count: Type.Integer() }) } },
      async () => ({}),
    );
    app.get('/missing', async () => {
      throw new NotFoundError('no such thing');
    });
    app.get('/broken', async () => {
      throw new AppError('DB_DOWN', 'connection to 10.0.0.5 refused with password x', { statusCode: 500 });
    });
    const invalid = await app.inject({ method: 'POST', url: '/things', payload: { count: 'many' } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(invalid.json().fields).toEqual(expect.arrayContaining(['name', 'count']));
    expect((await app.inject('/missing')).json()).toMatchObject({ code: 'NOT_FOUND', message: 'no such thing' });
    const broken = await app.inject('/broken');
    expect(broken.statusCode).toBe(500);
    expect(broken.json()).toMatchObject({ code: 'DB_DOWN', message: 'Internal error' });
    expect(broken.headers['x-request-id'] ?? broken.json().requestId).toBeTruthy();
    await app.close();
  });

  it('is ready when NATS and PostgreSQL answer, and says which one does not', async () => {
    const { app } = await demoApp();
    const doomed = await createTestDatabase();
    await app.register(postgresPlugin, { url: doomed.url, poolSize: 2, migrationsFolder: await emptyMigrations() });
    await app.register(natsPlugin, { url: nats.url, prefix: nats.prefix });
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok', service: 'demo', version: '1.0.0' });
    expect((await app.inject('/readyz')).json()).toEqual({
      status: 'ready',
      checks: { postgres: { ok: true }, nats: { ok: true } },
    });
    // The database goes away under the running service.
    await doomed.drop();
    const notReady = await app.inject('/readyz');
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json().checks.postgres.ok).toBe(false);
    expect(notReady.json().checks.nats.ok).toBe(true);
    await app.close();
  });

  it('starts even when its NATS connection is lost during the start', async () => {
    const { app } = await demoApp(nats);
    await app.nats.nc.close();
    await app.ready();
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks.nats.ok).toBe(false);
    await app.close();
  });

  it('finishes in-flight messages before closing', async () => {
    const { app, logger } = await demoApp(nats);
    await ensureStreams(nats.ctx);
    const finished: number[] = [];
    let started = false;
    const consumer = await consumeEvents(app.nats, {
      subject: 'sales.analyses.updated',
      durable: 'graceful-test',
      logger,
      handler: async (payload) => {
        started = true;
        await new Promise((resolve) => setTimeout(resolve, 500));
        finished.push(payload.totalRevenue);
      },
    });
    app.ownConsumer(consumer);
    await publishAnalyses(nats, 'r1', 5);
    await eventually(() => expect(started).toBe(true));
    await app.close();
    expect(finished).toEqual([5]);
    // Acked before close: a new consumer on the same durable gets nothing more.
    const info = await nats.ctx.jsm.consumers.info(nats.ctx.resource('SALES'), nats.ctx.resource('graceful-test'));
    expect(info.num_ack_pending).toBe(0);
  });
});

describe('metrics', () => {
  it('exposes Prometheus metrics, including HTTP durations and handled events', async () => {
    const nats = await createTestNats();
    const { app, logger } = await demoApp(nats);
    const consumer = await consumeEvents(app.nats, {
      subject: 'sales.analyses.updated',
      durable: 'metrics-test',
      logger,
      handler: async () => {},
    });
    app.ownConsumer(consumer);
    await publishAnalyses(nats, 'm1', 1);
    await app.inject('/healthz');
    await eventually(async () => {
      const text = (await app.inject('/metrics')).body;
      expect(text).toMatch(/pharma_http_request_seconds_count\{method="GET",route="\/healthz",status="200"\} \d+/);
      expect(text).toMatch(/pharma_events_handled_total\{subject="sales.analyses.updated",outcome="ack"\} [1-9]/);
      expect(text).toMatch(/pharma_nats_consumer_pending\{subject="sales.analyses.updated",durable="metrics-test"\} 0/);
      expect(text).toContain('process_resident_memory_bytes');
    });
    await app.close();
    await nats.cleanup();
  });
});
