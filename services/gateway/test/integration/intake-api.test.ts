import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  captureLogs,
  createTestDatabase,
  createTestNats,
  eventually,
  type TestDatabase,
  type TestNats,
} from '@pharma/testkit';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempRoot, putFile, registryEnv, startRegistry } from '../../../file-registry/test/helpers.js';
import { buildApp as buildOrchestrator } from '../../../orchestrator/src/app.js';
import { loadConfig as loadOrchestratorConfig } from '../../../orchestrator/src/config.js';
import { createFolders, orchestratorEnv } from '../../../orchestrator/test/helpers.js';
import { expectAnswer, inMemoryGateway, loginEach, pharmacyAccount, staffAccount } from '../helpers.js';

const OPS = staffAccount('ops@example.ma', 'ops');
const ADMIN = staffAccount('admin@example.ma', 'admin');
const PHARMACY = pharmacyAccount('pharmacie.a@example.ma');

const SALES = 'Сети/2025/06/Аптека А/Продажи/june.csv';
const STOCK = 'Сети/2025/06/Аптека Б/Остатки/june.xlsx';
const EXPECTED = { dataProvider: 'Сеть', clientName: 'Аптека В', reportType: 'Продажи', month: '2025-07' };
const TREE = {
  spec: {
    years: [2026],
    months: [1, 2],
    providers: [{ folder: 'Сети', clients: ['Аптека Г'], reportTypes: ['Продажи', 'Остатки'] }],
    seedExpected: false,
  },
};

interface FileRow {
  id: number;
  filePath: string;
  status: string;
}

describe("gateway: the intake team's registry routes over the real registry and orchestrator", () => {
  let nats: TestNats;
  let db: TestDatabase;
  let registry: FastifyInstance | undefined;
  let orchestrator: FastifyInstance | undefined;
  let gateway: FastifyInstance;
  let temp: Awaited<ReturnType<typeof createTempRoot>>;
  let files: Record<string, FileRow> = {};
  const headers: Record<string, Record<string, string>> = {};

  const filesNow = async () => {
    const response = await gateway.inject({ url: '/api/registry/files?limit=10', headers: headers.ops });
    return Object.fromEntries(response.json().items.map((file: FileRow) => [file.filePath, file])) as Record<
      string,
      FileRow
    >;
  };

  beforeAll(async () => {
    nats = await createTestNats();
    db = await createTestDatabase();
    temp = await createTempRoot();
    await putFile(temp.root, SALES);
    await putFile(temp.root, STOCK);
    registry = await startRegistry(registryEnv(db, nats, temp.root));
    await registry.ready();
    const folders = await createFolders();
    orchestrator = await buildOrchestrator(
      loadOrchestratorConfig(
        orchestratorEnv(db.url, folders, {
          NATS_URL: nats.url,
          NATS_PREFIX: nats.prefix,
          REGISTRY_ROOT: temp.root,
          ORCHESTRATOR_RUN_ON_SCAN: 'false',
        }),
      ),
      captureLogs('orchestrator').logger,
    );
    await orchestrator.ready();
    gateway = await inMemoryGateway(nats, [OPS, ADMIN, PHARMACY], captureLogs('gateway').logger);
    Object.assign(headers, await loginEach(gateway, [OPS, ADMIN, PHARMACY]));

    // Registered by a scan, then tried once by a run: no conversion script exists, so each attempt ends with
    // NO_SCRIPT_FOUND and leaves the file in PROCESSING.
    const jobDone = async (url: string) => {
      const started = await gateway.inject({ method: 'POST', url, headers: headers.ops });
      expect(started.statusCode).toBe(202);
      await eventually(
        async () => {
          const job = await gateway.inject({ url: `/api/jobs/${started.json().jobId}`, headers: headers.ops });
          expect(['succeeded', 'failed']).toContain(job.json().status);
        },
        { timeoutMs: 30_000 },
      );
    };
    await jobDone('/api/registry/scans');
    await jobDone('/api/orchestrator/runs');
    files = await filesNow();
  });

  afterAll(async () => {
    await gateway?.close();
    await orchestrator?.close();
    await registry?.close();
    await nats?.cleanup();
    await db?.drop();
    await temp?.remove();
  });

  it("shows a file's attempts, oldest first, with the reason of each", async () => {
    const file = files[SALES] as FileRow;
    expect(file.status).toBe('PROCESSING');
    const response = await gateway.inject({ url: `/api/registry/files/${file.id}/attempts`, headers: headers.ops });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.fileId).toBe(file.id);
    expect(body.items.length).toBeGreaterThan(0);
    expect(body.items[0]).toMatchObject({ fileId: file.id, attempt: 1, reason: 'NO_SCRIPT_FOUND' });
    const none = await gateway.inject({ url: '/api/registry/files/999999/attempts', headers: headers.admin });
    expect(none.json()).toEqual({ fileId: 999999, items: [] });
    const bad = await gateway.inject({ url: '/api/registry/files/abc/attempts', headers: headers.ops });
    expect(bad.statusCode).toBe(400);
  });

  it('retries several files by id or by filter, one outcome per file', async () => {
    const sales = files[SALES] as FileRow;
    const stock = files[STOCK] as FileRow;
    const byIds = await gateway.inject({
      method: 'POST',
      url: '/api/registry/files/retry',
      headers: headers.ops,
      payload: { ids: [sales.id, 999999] },
    });
    expect(byIds.statusCode).toBe(200);
    expect(byIds.json().results).toEqual(
      expect.arrayContaining([
        { id: sales.id, outcome: 'retried' },
        { id: 999999, outcome: 'not_found' },
      ]),
    );
    // Without a status the filter means the files in ERROR: there are none (the stock report is in PROCESSING).
    const noStatus = await gateway.inject({
      method: 'POST',
      url: '/api/registry/files/retry',
      headers: headers.ops,
      payload: { filter: { dataProvider: 'Сеть' } },
    });
    expect(noStatus.json()).toEqual({ results: [] });
    const byFilter = await gateway.inject({
      method: 'POST',
      url: '/api/registry/files/retry',
      headers: headers.ops,
      payload: { filter: { dataProvider: 'Сеть', status: ['PROCESSING'] } },
    });
    expect(byFilter.json()).toEqual({ results: [{ id: stock.id, outcome: 'retried' }] });
    const now = await filesNow();
    expect([now[SALES]?.status, now[STOCK]?.status]).toEqual(['NEW', 'NEW']);
    for (const payload of [{}, { ids: [] }, { filter: {} }, { ids: [1], filter: { status: ['ERROR'] } }]) {
      const bad = await gateway.inject({
        method: 'POST',
        url: '/api/registry/files/retry',
        headers: headers.ops,
        payload,
      });
      expect(bad.statusCode, JSON.stringify(payload)).toBe(400);
    }
  });

  it('adds, lists and removes expected reports of a month', async () => {
    const add = await gateway.inject({
      method: 'PATCH',
      url: '/api/registry/expected',
      headers: headers.ops,
      payload: { add: [EXPECTED] },
    });
    expect(add.statusCode).toBe(200);
    expect(add.json()).toEqual({ added: 1, removed: 0 });
    const list = await gateway.inject({ url: '/api/registry/expected?month=2025-07', headers: headers.ops });
    expect(list.json().items).toEqual([EXPECTED]);
    const completeness = await gateway.inject({
      url: '/api/registry/completeness?month=2025-07',
      headers: headers.ops,
    });
    expect(completeness.json().missing).toEqual([
      { dataProvider: 'Сеть', clientName: 'Аптека В', reportType: 'Продажи' },
    ]);
    const remove = await gateway.inject({
      method: 'PATCH',
      url: '/api/registry/expected',
      headers: headers.admin,
      payload: { remove: [EXPECTED] },
    });
    expect(remove.json()).toEqual({ added: 0, removed: 1 });
    const empty = await gateway.inject({ url: '/api/registry/expected?month=2025-07', headers: headers.ops });
    expect(empty.json().items).toEqual([]);
    const bad = await gateway.inject({
      method: 'PATCH',
      url: '/api/registry/expected',
      headers: headers.ops,
      payload: {},
    });
    expect(bad.statusCode).toBe(400);
    const badMonth = await gateway.inject({ url: '/api/registry/expected?month=July', headers: headers.ops });
    expect(badMonth.json().fields).toContain('month');
  });

  it('previews the folder tree without writing it, then creates it', async () => {
    const preview = await gateway.inject({
      method: 'POST',
      url: '/api/registry/tree/preview',
      headers: headers.ops,
      payload: TREE,
    });
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({ dryRun: true, folders: 4, created: 4, existing: 0 });
    const leaf = join(temp.root, 'Сети', '2026', '01', 'Аптека Г', 'Продажи');
    expect(existsSync(leaf)).toBe(false);
    const applied = await gateway.inject({
      method: 'POST',
      url: '/api/registry/tree',
      headers: headers.ops,
      payload: TREE,
    });
    expect(applied.json()).toMatchObject({ dryRun: false, folders: 4, created: 4, existing: 0 });
    expect(existsSync(leaf)).toBe(true);
    const again = await gateway.inject({
      method: 'POST',
      url: '/api/registry/tree/preview',
      headers: headers.ops,
      payload: TREE,
    });
    expect(again.json()).toMatchObject({ created: 0, existing: 4 });
    const bad = await gateway.inject({
      method: 'POST',
      url: '/api/registry/tree',
      headers: headers.ops,
      payload: { spec: { ...TREE.spec, years: [] } },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('refuses the intake routes to pharmacies (403) and without a session (401), and documents them', async () => {
    const routes = [
      ['GET', '/api/registry/files/1/attempts'],
      ['POST', '/api/registry/files/retry'],
      ['GET', '/api/registry/expected?month=2025-07'],
      ['PATCH', '/api/registry/expected'],
      ['POST', '/api/registry/tree/preview'],
      ['POST', '/api/registry/tree'],
    ] as const;
    for (const route of routes) {
      await expectAnswer(gateway, route, 401);
      await expectAnswer(gateway, route, 403, { headers: headers.pharmacy, body: route[0] !== 'GET' });
    }
    const spec = (await gateway.inject({ url: '/docs/json' })).json();
    for (const path of [
      '/api/registry/files/{id}/attempts',
      '/api/registry/files/retry',
      '/api/registry/expected',
      '/api/registry/tree/preview',
      '/api/registry/tree',
      '/api/sales/imports/{id}/rejects',
      '/api/sales/imports/{id}/rejects.csv',
      '/api/sales/schedules',
      '/api/sales/schedules/{id}',
      '/api/exports/customers.csv',
      '/api/exports/balances.xlsx',
      '/api/exports/ageing.csv',
      '/api/admin/pharmacies/{pharmacyId}/sync-now',
      '/api/admin/pharmacies/{pharmacyId}/restore',
    ]) {
      expect(Object.keys(spec.paths), path).toContain(path);
      for (const operation of Object.values(spec.paths[path]) as { tags?: string[]; responses: object }[]) {
        expect(operation.tags?.length, path).toBeGreaterThan(0);
        expect(Object.keys(operation.responses), path).toEqual(expect.arrayContaining(['400', '401', '403']));
      }
    }
  });
});
