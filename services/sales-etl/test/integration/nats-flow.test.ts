import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createSalesScheduleRpc,
  deleteSalesScheduleRpc,
  latestSalesAnalysesRpc,
  listSalesImportsRpc,
  listSalesRejectsRpc,
  listSalesSchedulesRpc,
  type SalesImportCompleted,
  startSalesImportRpc,
} from '@pharma/shared/contracts';
import {
  consumeEvents,
  type EventConsumer,
  type EventPayload,
  type Job,
  JobStore,
  publishEvent,
  requestRpc,
} from '@pharma/shared/messaging';
import { captureLogs, consumerSettled, createTestNats, eventually, type TestNats } from '@pharma/testkit';
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { type CsvServer, startCsvServer } from '../helpers/csv-server.js';
import { PRODUCTS_CSV, SALES_CSV, STORES_CSV } from '../helpers/fixtures.js';

let server: CsvServer;
let nats: TestNats;
let app: FastifyInstance;
let jobs: JobStore;
let dataDir: string;
const completed: Static<typeof SalesImportCompleted>[] = [];
const analysesUpdated: { runId: string; totalRevenue: number }[] = [];
const consumers: EventConsumer[] = [];

const salesLogs = captureLogs('sales-etl');

beforeAll(async () => {
  server = await startCsvServer();
  server.route('/produits.csv', { body: PRODUCTS_CSV, etag: '"p1"' });
  server.route('/magasins.csv', { body: STORES_CSV, etag: '"m1"' });
  server.route('/ventes.csv', { body: SALES_CSV });
  server.route('/ventes-bad.csv', {
    body: 'id_vente,id_produit,id_magasin,date_vente,quantite,chiffre_affaires\n500,1,10,hier,1,2.5\n501,1,10,2024-01-01,1\n502,2,20,2024-01-02,1,4\n',
  });
  nats = await createTestNats();
  dataDir = mkdtempSync(join(tmpdir(), 'sales-etl-nats-'));
  const config = loadConfig({
    NATS_URL: nats.url,
    NATS_PREFIX: nats.prefix,
    SALES_DATA_DIR: dataDir,
    SALES_ALLOW_PRIVATE_URLS: 'true',
    SALES_FETCH_RETRIES: '0',
    LOG_LEVEL: 'debug',
  });
  app = await buildApp(config, salesLogs.logger);
  await app.ready();
  jobs = await JobStore.open(nats.ctx);
  const logger = captureLogs('test').logger;
  consumers.push(
    await consumeEvents(nats.ctx, {
      subject: 'sales.import.completed',
      durable: 'test-completed',
      logger,
      handler: async (payload) => void completed.push(payload),
    }),
    await consumeEvents(nats.ctx, {
      subject: 'sales.analyses.updated',
      durable: 'test-analyses',
      logger,
      handler: async (payload) => void analysesUpdated.push(payload),
    }),
  );
});

afterAll(async () => {
  await Promise.all(consumers.map((consumer) => consumer.stop()));
  await app?.close();
  await nats?.cleanup();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const allUrls = () => ({
  products: server.url('/produits.csv'),
  stores: server.url('/magasins.csv'),
  sales: server.url('/ventes.csv'),
});

/** Publishes an import request straight on its subject, as a script would, keyed on its import id. */
const requestImport = (jobId: string, importId: string, urls: EventPayload<'sales.import.requested'>['urls']) =>
  publishEvent(
    nats.ctx,
    'sales.import.requested',
    { jobId, importId, urls, requestedAt: new Date().toISOString() },
    { msgId: importId },
  );

/** The job once it has reached `status`. */
const jobReaching = (jobId: string, status: Job['status']) =>
  eventually(async () => {
    const current = await jobs.require(jobId);
    expect(current.status).toBe(status);
    return current;
  });

describe('sales.import.requested', () => {
  it('runs the job to success and publishes the counts and the analyses', async () => {
    const jobId = randomUUID();
    const importId = randomUUID();
    await jobs.create({ id: jobId, kind: 'sales.import', owner: 'analyst@example.com' });
    await requestImport(jobId, importId, allUrls());
    const job = await jobReaching(jobId, 'succeeded');
    expect(job.errors).toEqual([]);
    expect(job.result).toMatchObject({ runId: importId, importId });

    const event = await eventually(() => {
      const found = completed.find((entry) => entry.importId === importId);
      expect(found).toBeDefined();
      return found!;
    });
    expect(event).toMatchObject({ jobId, runId: importId, status: 'succeeded' });
    expect(event.files).toEqual([
      {
        file: server.url('/produits.csv'),
        kind: 'products',
        read: 3,
        inserted: 3,
        duplicates: 0,
        rejected: 0,
        unchanged: false,
      },
      {
        file: server.url('/magasins.csv'),
        kind: 'stores',
        read: 2,
        inserted: 2,
        duplicates: 0,
        rejected: 0,
        unchanged: false,
      },
      {
        file: server.url('/ventes.csv'),
        kind: 'sales',
        read: 5,
        inserted: 5,
        duplicates: 0,
        rejected: 0,
        unchanged: false,
      },
    ]);
    await eventually(() =>
      expect(analysesUpdated).toContainEqual(expect.objectContaining({ runId: importId, totalRevenue: 90.5 })),
    );

    // The same request published again (another msg id) changes nothing.
    await publishEvent(
      nats.ctx,
      'sales.import.requested',
      { jobId, importId, urls: allUrls(), requestedAt: new Date().toISOString() },
      { msgId: `${importId}-again` },
    );
    const list = await requestRpc(nats.ctx, listSalesImportsRpc, {});
    // The service's consumer has handled (and acknowledged) the repeated request before the list is asked again.
    await consumerSettled(nats.ctx, 'sales.import.requested', 'sales-etl-imports');
    expect((await requestRpc(nats.ctx, listSalesImportsRpc, {})).total).toBe(list.total);
    expect(list.items.filter((run) => run.importId === importId)).toHaveLength(1);
  });

  it('creates the job when the request comes from a script', async () => {
    const jobId = randomUUID();
    const importId = randomUUID();
    await requestImport(jobId, importId, { sales: server.url('/ventes.csv') });
    const job = await jobReaching(jobId, 'succeeded');
    expect(job.owner).toBe('system');
    expect(job.result?.files).toEqual([
      expect.objectContaining({ kind: 'sales', read: 5, inserted: 0, duplicates: 5 }),
    ]);
  });
  it('honours a cancellation: the job ends cancelled and nothing is written', async () => {
    const jobId = randomUUID();
    const importId = randomUUID();
    await jobs.create({ id: jobId, kind: 'sales.import', owner: 'analyst@example.com' });
    await jobs.update(jobId, () => ({ cancelRequested: true }));
    server.route('/ventes-new.csv', {
      body: 'id_vente,id_produit,id_magasin,date_vente,quantite,chiffre_affaires\n900,1,10,2024-09-01,1,2.5\n',
    });
    await requestImport(jobId, importId, { sales: server.url('/ventes-new.csv') });
    const job = await jobReaching(jobId, 'cancelled');
    expect(job.errors).toEqual([{ item: 'import', code: 'CANCELLED', message: 'Import cancelled' }]);
    const event = await eventually(() => {
      const found = completed.find((entry) => entry.importId === importId);
      expect(found).toBeDefined();
      return found!;
    });
    expect(event).toMatchObject({ status: 'failed', error: 'CANCELLED: Import cancelled', files: [] });
    expect(app.salesDb.reader.prepare('SELECT COUNT(*) AS n FROM ventes WHERE id_vente = 900').get()).toEqual({ n: 0 });
  });
});

describe('request/reply API', () => {
  it('starts an import, lists it with counts, pages its rejects and serves the analyses', async () => {
    const { jobId, importId } = await requestRpc(
      nats.ctx,
      startSalesImportRpc,
      { urls: { sales: server.url('/ventes-bad.csv') }, owner: 'analyst@example.com' },
      { correlationId: 'sales-trace-1' },
    );
    const job = await jobReaching(jobId, 'succeeded');
    expect(job.owner).toBe('analyst@example.com');
    // The caller's correlation id reaches the job and every line the import wrote.
    expect(job.correlationId).toBe('sales-trace-1');
    const jobLines = salesLogs.lines().filter((line) => line.jobId === jobId || line.runId === importId);
    expect(jobLines.length).toBeGreaterThan(0);
    expect(jobLines.filter((line) => line.correlationId !== 'sales-trace-1')).toEqual([]);
    expect(job.errors).toEqual([
      {
        item: `sales: ${server.url('/ventes-bad.csv')}`,
        code: 'ROWS_REJECTED',
        message: `2 of 3 rows rejected (rejects of run ${importId})`,
      },
    ]);

    const imports = await requestRpc(nats.ctx, listSalesImportsRpc, { limit: 1 });
    expect(imports.total).toBe(4);
    expect(imports.items[0]).toMatchObject({
      runId: importId,
      status: 'succeeded',
      trigger: 'request',
      files: [
        { kind: 'sales', outcome: 'imported', read: 3, inserted: 1, duplicates: 0, rejected: 2, encoding: 'utf-8' },
      ],
    });

    const page = await requestRpc(nats.ctx, listSalesRejectsRpc, { runId: importId, limit: 1, offset: 1 });
    expect(page.total).toBe(2);
    expect(page.items).toEqual([
      expect.objectContaining({
        lineNumber: 3,
        rawLine: '501,1,10,2024-01-01,1',
        reason: 'COLUMN_COUNT',
        kind: 'sales',
      }),
    ]);

    const analyses = await requestRpc(nats.ctx, latestSalesAnalysesRpc, {});
    expect(analyses).toMatchObject({ runId: importId, totalRevenue: 94.5, salesCount: 6 });
  });

  it('rejects a malformed request with a 400', async () => {
    await expect(requestRpc(nats.ctx, startSalesImportRpc, { urls: {} } as never)).rejects.toMatchObject({
      statusCode: 400,
    });
  });

  it('saves, runs conditionally, lists and deletes schedules', async () => {
    await expect(
      requestRpc(nats.ctx, createSalesScheduleRpc, { name: 'bad', cron: 'every day', urls: allUrls() }),
    ).rejects.toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });

    const schedule = await requestRpc(nats.ctx, createSalesScheduleRpc, {
      name: 'catalogue',
      cron: '0 3 * * *',
      timezone: 'Africa/Casablanca',
      urls: { products: server.url('/produits.csv'), stores: server.url('/magasins.csv') },
      owner: 'analyst@example.com',
    });
    expect(schedule.nextRunAt).not.toBeNull();
    const listed = await requestRpc(nats.ctx, listSalesSchedulesRpc, {});
    expect(listed.items.map((item) => item.id)).toEqual([schedule.id]);

    const row = { ...schedule, urls: schedule.urls as Record<string, string> };
    await app.importSchedules.tick(row);
    await app.importSchedules.tick(row);
    const runs = (await requestRpc(nats.ctx, listSalesImportsRpc, {})).items.filter(
      (run) => run.scheduleId === schedule.id,
    );
    expect(runs.map((run) => [run.trigger, run.status, run.files.map((file) => file.outcome)])).toEqual([
      ['schedule', 'succeeded', ['unchanged', 'unchanged']],
      ['schedule', 'succeeded', ['unchanged', 'unchanged']],
    ]);
    const afterRun = await requestRpc(nats.ctx, listSalesSchedulesRpc, {});
    expect(afterRun.items[0]?.lastRunId).toBe(runs[0]?.runId);

    expect(await requestRpc(nats.ctx, deleteSalesScheduleRpc, { id: schedule.id })).toEqual({ deleted: true });
    await expect(requestRpc(nats.ctx, deleteSalesScheduleRpc, { id: schedule.id })).rejects.toMatchObject({
      statusCode: 404,
    });
    expect((await requestRpc(nats.ctx, listSalesSchedulesRpc, {})).items).toEqual([]);
  });
});
