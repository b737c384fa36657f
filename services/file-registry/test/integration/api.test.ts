import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Static, TSchema } from '@pharma/shared/config';
import {
  editExpectedReportsRpc,
  generateTreeRpc,
  listExpectedReportsRpc,
  listRegistryFilesRpc,
  registryCompletenessRpc,
  registrySummaryRpc,
  retryRegistryFilesRpc,
  startRegistryScanRpc,
} from '@pharma/shared/contracts';
import {
  type Job,
  JobStore,
  publishEvent,
  type RpcDefinition,
  RpcRemoteError,
  requestRpc,
} from '@pharma/shared/messaging';
import {
  collectEvents,
  createTestDatabase,
  createTestNats,
  type EventCollector,
  eventually,
  finishedJob,
  type TestDatabase,
  type TestNats,
} from '@pharma/testkit';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempRoot, putFile, registryEnv, startRegistry } from '../helpers.js';

const SPEC = {
  years: [2025],
  months: [5, 6],
  providers: [{ folder: 'Сети', clients: ['Аптека А', 'Аптека Б'], reportTypes: ['Продажи', 'Остатки'] }],
};

describe('registry API over NATS: tree, scans as jobs, queries, expected reports', () => {
  let db: TestDatabase;
  let nats: TestNats;
  let temp: Awaited<ReturnType<typeof createTempRoot>>;
  let app: FastifyInstance;
  let jobs: JobStore;
  let missing: EventCollector<'registry.report.missing'>;

  const rpc = <Req extends TSchema, Res extends TSchema>(definition: RpcDefinition<Req, Res>, payload: Static<Req>) =>
    requestRpc(nats.ctx, definition, payload, { timeoutMs: 15_000 });
  const finished = (jobId: string): Promise<Job> => finishedJob(jobs, jobId);

  beforeAll(async () => {
    [db, nats, temp] = await Promise.all([createTestDatabase(), createTestNats(), createTempRoot()]);
    app = await startRegistry(
      registryEnv(db, nats, temp.root, {
        REGISTRY_LATE_AFTER_DAY: '10',
        // A young file keeps a scan busy this long: room for the concurrent request to collide with it.
        REGISTRY_STABLE_AFTER_MS: '1500',
      }),
    );
    jobs = await JobStore.open(nats.ctx);
    missing = await collectEvents(nats.ctx, 'registry.report.missing');
  });

  afterAll(async () => {
    await missing?.stop();
    await app?.close();
    await Promise.all([db?.drop(), nats?.cleanup(), temp?.remove()]);
  });

  it('generates the tree idempotently, with a dry run that creates nothing, and seeds expected reports', async () => {
    const dry = await rpc(generateTreeRpc, { spec: SPEC, dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, folders: 8, created: 8, existing: 0, expectedSeeded: 0 });
    expect(dry.sample).toContain('Сети/2025/05/Аптека А/Продажи');
    expect(existsSync(join(temp.root, 'Сети'))).toBe(false);

    const first = await rpc(generateTreeRpc, { spec: SPEC });
    expect(first).toMatchObject({ dryRun: false, folders: 8, created: 8, existing: 0, expectedSeeded: 8 });
    expect(existsSync(join(temp.root, 'Сети/2025/06/Аптека Б/Остатки'))).toBe(true);

    const again = await rpc(generateTreeRpc, { spec: SPEC });
    expect(again).toMatchObject({ created: 0, existing: 8, expectedSeeded: 0 });

    const june = await rpc(listExpectedReportsRpc, { month: '2025-06' });
    expect(june.items).toHaveLength(4);
    expect(june.items[0]).toMatchObject({ dataProvider: 'Сеть', month: '2025-06' });

    await expect(
      rpc(generateTreeRpc, {
        spec: { ...SPEC, providers: [{ folder: 'Прочее', clients: ['A'], reportTypes: ['B'] }] },
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', statusCode: 400 });
  });

  it('runs a requested scan as a job, then reports missing, late and unexpected reports once', async () => {
    await putFile(temp.root, 'Сети/2025/06/Аптека А/Продажи/june.xlsx', { mtime: new Date('2025-07-03T09:00:00Z') });
    await putFile(temp.root, 'Сети/2025/06/Аптека Б/Продажи/june.csv', { mtime: new Date('2025-07-15T09:00:00Z') });
    await putFile(temp.root, 'Сети/2025/06/Аптека В/Продажи/june.csv', { mtime: new Date('2025-07-01T09:00:00Z') });
    await putFile(temp.root, 'Сети/2025/06/Аптека А/Продажи/~$june.xlsx');

    const { jobId } = await rpc(startRegistryScanRpc, { requestedBy: 'staff@example.com' });
    const job = await finished(jobId);
    expect(job.status).toBe('succeeded');
    expect(job.owner).toBe('staff@example.com');
    expect(job.result).toMatchObject({ status: 'succeeded', totals: { new: 3, skippedByFilter: 1 } });

    const june = await rpc(registryCompletenessRpc, { month: '2025-06' });
    expect(june).toMatchObject({ month: '2025-06', deadline: '2025-07-10', overdue: true, expected: 4 });
    const names = (reports: { clientName: string; reportType: string }[]) =>
      reports.map((r) => `${r.clientName}/${r.reportType}`);
    expect(names(june.received)).toEqual(['Аптека А/Продажи', 'Аптека Б/Продажи']);
    expect(names(june.missing)).toEqual(['Аптека А/Остатки', 'Аптека Б/Остатки']);
    expect(names(june.late)).toEqual(['Аптека Б/Продажи']);
    expect(names(june.unexpected)).toEqual(['Аптека В/Продажи']);

    // May: all four missing; June: two. One notice each, even after another scan.
    await eventually(() => expect(missing.received).toHaveLength(6));
    expect(missing.received).toContainEqual({
      month: '2025-06',
      dataProvider: 'Сеть',
      clientName: 'Аптека Б',
      reportType: 'Остатки',
      deadline: '2025-07-10',
    });
    const second = await rpc(startRegistryScanRpc, {});
    // The scan publishes its notices before it finishes; once the collector has handled all the stream holds,
    // a second notice would be in hand.
    expect((await finished(second.jobId)).status).toBe('succeeded');
    await missing.settled();
    expect(missing.received).toHaveLength(6);
  });

  it('edits expected reports', async () => {
    const report = { dataProvider: 'Сеть', clientName: 'Аптека В', reportType: 'Продажи', month: '2025-06' };
    expect(await rpc(editExpectedReportsRpc, { add: [report, report] })).toEqual({ added: 1, removed: 0 });
    const june = await rpc(registryCompletenessRpc, { month: '2025-06' });
    expect(june.unexpected).toEqual([]);
    expect(june.expected).toBe(5);
    expect(await rpc(editExpectedReportsRpc, { remove: [report] })).toEqual({ added: 0, removed: 1 });
  });

  it('answers two simultaneous scan requests with one scan; the other job reports locked', async () => {
    await putFile(temp.root, 'Сети/2025/05/Аптека А/Продажи/may.xlsx', { mtime: null as never });
    const [a, b] = await Promise.all([rpc(startRegistryScanRpc, {}), rpc(startRegistryScanRpc, {})]);
    const outcomes = await Promise.all([finished(a.jobId), finished(b.jobId)]);
    const statuses = outcomes.map((job) => job.status).sort();
    expect(statuses).toEqual(['failed', 'succeeded']);
    const lockedJob = outcomes.find((job) => job.status === 'failed')!;
    expect(lockedJob.errors).toEqual([expect.objectContaining({ code: 'LOCKED' })]);
    expect(lockedJob.result).toMatchObject({ status: 'locked' });
    const { rows } = await app.pg.query(
      "SELECT count(*)::int AS n FROM ops.file_registry WHERE file_path LIKE '%may.xlsx'",
    );
    expect(rows[0].n).toBe(1);
  });

  it('lists files with filters and paging, counts them, and retries failed ones', async () => {
    const all = await rpc(listRegistryFilesRpc, {});
    expect(all.total).toBe(4);
    const page = await rpc(listRegistryFilesRpc, { limit: 2, offset: 1 });
    expect(page.items.map((f) => f.id)).toEqual(all.items.slice(1, 3).map((f) => f.id));

    const bClient = await rpc(listRegistryFilesRpc, { clientName: 'Аптека Б', from: '2025-06', to: '2025-06' });
    expect(bClient.items).toHaveLength(1);
    expect(bClient.items[0]).toMatchObject({
      filePath: 'Сети/2025/06/Аптека Б/Продажи/june.csv',
      dataProvider: 'Сеть',
      reportYear: 2025,
      reportMonth: 6,
      reportType: 'Продажи',
      status: 'NEW',
      uploadedAt: '2025-07-15T09:00:00.000Z',
    });
    expect((await rpc(listRegistryFilesRpc, { to: '2025-05' })).total).toBe(1);

    const [failed, gone] = all.items;
    await app.pg.query("UPDATE ops.file_registry SET status = 'ERROR', error_reason = 'RETURN_CODE_2' WHERE id = $1", [
      failed!.id,
    ]);
    await app.pg.query("UPDATE ops.file_registry SET status = 'DELETE' WHERE id = $1", [gone!.id]);
    expect((await rpc(listRegistryFilesRpc, { status: ['ERROR'] })).items.map((f) => f.errorReason)).toEqual([
      'RETURN_CODE_2',
    ]);

    const summary = await rpc(registrySummaryRpc, {});
    expect(summary.total).toBe(4);
    expect(summary.byStatus).toEqual([
      { key: 'DELETE', count: 1 },
      { key: 'ERROR', count: 1 },
      { key: 'NEW', count: 2 },
    ]);
    expect(summary.byProvider).toEqual([{ key: 'Сеть', count: 4 }]);
    expect(summary.byMonth).toEqual([
      { key: '2025-05', count: 1 },
      { key: '2025-06', count: 3 },
    ]);

    const retry = await rpc(retryRegistryFilesRpc, { ids: [failed!.id, gone!.id, 999_999] });
    expect(retry.results).toEqual([
      { id: failed!.id, outcome: 'retried' },
      { id: gone!.id, outcome: 'deleted' },
      { id: 999_999, outcome: 'not_found' },
    ]);
    const { rows } = await app.pg.query('SELECT status, error_reason FROM ops.file_registry WHERE id = $1', [
      failed!.id,
    ]);
    expect(rows[0]).toEqual({ status: 'NEW', error_reason: null });
  });

  it('refuses malformed requests with a typed error', async () => {
    const error = await rpc(registryCompletenessRpc, { month: '2025-13' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcRemoteError);
    expect(error).toMatchObject({ statusCode: 400 });
  });

  it('creates the job of a scan request published by a script without one', async () => {
    await publishEvent(
      nats.ctx,
      'registry.scan.requested',
      { jobId: 'scripted-scan-1', requestedBy: 'cron-script', requestedAt: new Date().toISOString() },
      { msgId: 'scripted-scan-1' },
    );
    const job = await finished('scripted-scan-1');
    expect(job).toMatchObject({ kind: 'registry.scan', owner: 'cron-script', status: 'succeeded' });
  });

  it('generates the tree over HTTP (dry run)', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/tree',
      payload: { spec: { ...SPEC, years: [2026] }, dryRun: true },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ dryRun: true, folders: 8, created: 8 });
    expect(existsSync(join(temp.root, 'Сети/2026'))).toBe(false);
    const invalid = await app.inject({ method: 'POST', url: '/tree', payload: { spec: { years: [] } } });
    expect(invalid.statusCode).toBe(400);
  });

  it('starts a scan over HTTP too', async () => {
    const response = await app.inject({ method: 'POST', url: '/scans', payload: {} });
    expect(response.statusCode).toBe(202);
    const job = await finished(response.json().jobId);
    expect(job.status).toBe('succeeded');
  });
});
