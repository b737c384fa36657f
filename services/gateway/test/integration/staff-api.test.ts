import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
import { expectAnswer, inMemoryAuth, loginAs, pharmacyAccount, staffAccount, startGateway } from '../helpers.js';

const OPS = staffAccount('ops@example.ma', 'ops');
const ADMIN = staffAccount('admin@example.ma', 'admin');
const PHARMACY = pharmacyAccount('pharmacie.a@example.ma');

describe('gateway: staff API over the real registry service', () => {
  let nats: TestNats;
  let db: TestDatabase;
  let registry: FastifyInstance | undefined;
  let orchestrator: FastifyInstance | undefined;
  let folders: Awaited<ReturnType<typeof createFolders>> | undefined;
  let gateway: FastifyInstance;
  let temp: Awaited<ReturnType<typeof createTempRoot>>;
  const webDir = mkdtempSync(join(tmpdir(), 'gateway-web-'));
  const headers: Record<string, Record<string, string>> = {};
  const auth = inMemoryAuth([OPS, ADMIN, PHARMACY]);

  beforeAll(async () => {
    nats = await createTestNats();
    db = await createTestDatabase();
    temp = await createTempRoot();
    await putFile(temp.root, 'Сети/2025/06/Аптека А/Продажи/june.csv');
    await putFile(temp.root, 'Сети/2025/06/Аптека Б/Остатки/june.xlsx');
    registry = await startRegistry(registryEnv(db, nats, temp.root));
    await registry.ready();
    folders = await createFolders();
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
    writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>Pharma</title><div id="root"></div>');
    writeFileSync(join(webDir, 'app.js'), 'console.log(1)');
    gateway = await startGateway({
      natsUrl: nats.url,
      prefix: nats.prefix,
      logger: captureLogs('gateway').logger,
      auth,
      env: { GATEWAY_WEB_DIR: webDir, GATEWAY_LOGIN_RATE_LIMIT_PER_MINUTE: '20', GATEWAY_RPC_TIMEOUT_MS: '1500' },
    });
    headers.OPS = await loginAs(gateway, OPS);
    headers.ADMIN = await loginAs(gateway, ADMIN);
    headers.PHARMACY = await loginAs(gateway, PHARMACY);
  });

  afterAll(async () => {
    await gateway?.close();
    await orchestrator?.close();
    await registry?.close();
    await nats?.cleanup();
    await db?.drop();
    await temp?.remove();
    rmSync(webDir, { recursive: true, force: true });
  });

  const staffRoutes = [
    ['POST', '/api/registry/scans'],
    ['GET', '/api/registry/files'],
    ['GET', '/api/registry/summary'],
    ['GET', '/api/registry/completeness?month=2025-06'],
    ['POST', '/api/registry/files/1/retry'],
    ['POST', '/api/sales/imports'],
    ['GET', '/api/sales/imports'],
    ['GET', '/api/sales/analyses'],
    ['POST', '/api/orchestrator/runs'],
    ['GET', '/api/orchestrator/runs/x'],
  ] as const;

  it('answers 401 without a session and 403 to a pharmacy on every staff route', async () => {
    for (const route of staffRoutes) {
      await expectAnswer(gateway, route, 401);
      await expectAnswer(gateway, route, 403, { headers: headers.PHARMACY });
    }
  });

  it('runs a registry scan as a job and shows the files by status, provider and month', async () => {
    const started = await gateway.inject({ method: 'POST', url: '/api/registry/scans', headers: headers.OPS });
    expect(started.statusCode).toBe(202);
    const { jobId } = started.json();
    expect(started.json().job).toMatchObject({ id: jobId, kind: 'registry.scan' });
    await eventually(
      async () => {
        const job = await gateway.inject({ url: `/api/jobs/${jobId}`, headers: headers.OPS });
        expect(job.json().status).toBe('succeeded');
      },
      { timeoutMs: 20_000 },
    );
    const files = await gateway.inject({ url: '/api/registry/files?status=NEW&limit=10', headers: headers.OPS });
    expect(files.statusCode).toBe(200);
    expect(files.json().total).toBe(2);
    expect(files.json().items[0]).toMatchObject({ status: 'NEW', dataProvider: 'Сеть', reportYear: 2025 });
    const filtered = await gateway.inject({
      url: `/api/registry/files?reportType=${encodeURIComponent('Продажи')}`,
      headers: headers.ADMIN,
    });
    expect(filtered.json().items.map((f: { clientName: string }) => f.clientName)).toEqual(['Аптека А']);

    const summary = await gateway.inject({ url: '/api/registry/summary', headers: headers.OPS });
    expect(summary.json()).toMatchObject({
      total: 2,
      byStatus: [{ key: 'NEW', count: 2 }],
      byProvider: [{ key: 'Сеть', count: 2 }],
      byMonth: [{ key: '2025-06', count: 2 }],
    });
    const completeness = await gateway.inject({
      url: '/api/registry/completeness?month=2025-06',
      headers: headers.OPS,
    });
    expect(completeness.statusCode).toBe(200);
    expect(completeness.json()).toMatchObject({ month: '2025-06' });

    const id = files.json().items[0].id as number;
    const retry = await gateway.inject({
      method: 'POST',
      url: `/api/registry/files/${id}/retry`,
      headers: headers.OPS,
    });
    expect(retry.json()).toEqual({ id, outcome: 'retried' });
    const missing = await gateway.inject({
      method: 'POST',
      url: '/api/registry/files/999999/retry',
      headers: headers.OPS,
    });
    expect(missing.statusCode).toBe(404);
  });

  it('validates staff queries and bodies with the failing field names', async () => {
    const cases: [method: 'GET' | 'POST', url: string, fields: string[], payload?: object][] = [
      ['GET', '/api/registry/files?status=LOST&limit=5000', ['status.0', 'limit']],
      ['GET', '/api/registry/files?from=2025-13', ['from']],
      ['GET', '/api/registry/summary?bogus=1', ['querystring']],
      ['GET', '/api/registry/completeness', ['month']],
      ['GET', '/api/registry/completeness?month=June', ['month']],
      ['POST', '/api/registry/files/abc/retry', ['id']],
      ['POST', '/api/sales/imports', ['urls.sales'], { urls: { sales: 'ftp://x/y.csv' } }],
      ['POST', '/api/sales/imports', ['urls'], {}],
    ];
    for (const [method, url, fields, payload] of cases) {
      const response = await gateway.inject({ method, url, headers: headers.OPS, payload });
      expect(response.statusCode, url).toBe(400);
      expect(response.json().fields, url).toEqual(expect.arrayContaining(fields));
    }
  });

  it('answers 503 when the service behind a route is not running (no sales service in this test)', async () => {
    const analyses = await gateway.inject({ url: '/api/sales/analyses', headers: headers.OPS });
    expect(analyses.statusCode).toBe(503);
    expect(analyses.json().code).toBe('RPC_NO_RESPONDERS');
    const start = await gateway.inject({
      method: 'POST',
      url: '/api/sales/imports',
      headers: headers.OPS,
      payload: { urls: { sales: 'http://127.0.0.1:9/sales.csv' } },
    });
    expect(start.statusCode).toBe(503);
  });

  it('starts an orchestrator run through the service, follows its job and shows its task runs', async () => {
    const started = await gateway.inject({ method: 'POST', url: '/api/orchestrator/runs', headers: headers.ADMIN });
    expect(started.statusCode).toBe(202);
    const { jobId } = started.json();
    expect(started.json().job).toMatchObject({ id: jobId, kind: 'orchestrator.run', owner: ADMIN.email });
    await eventually(
      async () => {
        const job = await gateway.inject({ url: `/api/jobs/${jobId}`, headers: headers.OPS });
        expect(['succeeded', 'failed']).toContain(job.json().status);
      },
      { timeoutMs: 30_000 },
    );
    const run = await gateway.inject({ url: `/api/orchestrator/runs/${jobId}`, headers: headers.OPS });
    expect(run.statusCode).toBe(200);
    expect(run.json().run).toMatchObject({ id: jobId });
    expect(run.json().job).toMatchObject({ id: jobId, kind: 'orchestrator.run' });
    expect(Array.isArray(run.json().tasks)).toBe(true);
    const list = await gateway.inject({ url: '/api/orchestrator/runs?limit=5', headers: headers.OPS });
    expect(list.json().items.map((r: { id: string }) => r.id)).toContain(jobId);
    const unknown = await gateway.inject({ url: '/api/orchestrator/runs/unknown', headers: headers.OPS });
    expect(unknown.statusCode).toBe(404);
    const badLimit = await gateway.inject({ url: '/api/orchestrator/runs?limit=0', headers: headers.OPS });
    expect(badLimit.json().fields).toContain('limit');
  });

  it('documents every route in OpenAPI with tags', async () => {
    const spec = (await gateway.inject({ url: '/docs/json' })).json();
    const paths = Object.keys(spec.paths);
    for (const path of [
      '/api/auth/login',
      '/api/auth/logout',
      '/api/me',
      '/api/clients',
      '/api/clients/refresh',
      '/api/clients/{key}/statement',
      '/api/clients/{key}/transactions.csv',
      '/api/clients/{key}/transactions.xlsx',
      '/api/balances',
      '/api/receivables/ageing',
      '/api/statements/refresh',
      '/api/pharmacy.db',
      '/api/jobs',
      '/api/jobs/{id}',
      '/api/jobs/{id}/events',
      '/api/sales/imports',
      '/api/sales/analyses',
      '/api/registry/scans',
      '/api/registry/files',
      '/api/registry/summary',
      '/api/registry/completeness',
      '/api/registry/files/{id}/retry',
      '/api/orchestrator/runs',
      '/api/orchestrator/runs/{id}',
      '/api/health',
    ]) {
      expect(paths, path).toContain(path);
      for (const operation of Object.values(spec.paths[path]) as { tags?: string[] }[]) {
        expect(operation.tags?.length, path).toBeGreaterThan(0);
      }
    }
    expect((await gateway.inject({ url: '/docs/asyncapi.json' })).json().asyncapi).toBeDefined();
    expect((await gateway.inject({ url: '/api/health' })).json().services.length).toBeGreaterThan(5);
  });

  it('serves the web app with a fallback to index.html, but never for unknown API paths', async () => {
    const page = await gateway.inject({ url: '/clients/42/statement' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('<div id="root">');
    expect((await gateway.inject({ url: '/app.js' })).body).toBe('console.log(1)');
    const api = await gateway.inject({ url: '/api/nothing-here' });
    expect(api.statusCode).toBe(404);
    expect(api.json().code).toBe('NOT_FOUND');
  });

  it('limits login attempts more strictly than other requests', async () => {
    const limited = await startGateway({
      natsUrl: nats.url,
      prefix: nats.prefix,
      logger: captureLogs('gateway').logger,
      auth,
      env: { GATEWAY_LOGIN_RATE_LIMIT_PER_MINUTE: '3' },
    });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const response = await limited.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: OPS.email, password: 'wrong' },
        });
        codes.push(response.statusCode);
      }
      expect(codes).toEqual([401, 401, 401, 429, 429]);
      const other = await limited.inject({ url: '/api/me', headers: headers.OPS });
      expect(other.statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
