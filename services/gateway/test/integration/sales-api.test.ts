import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureLogs, createTestNats, eventually, type TestNats } from '@pharma/testkit';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp as buildSalesEtl } from '../../../sales-etl/src/app.js';
import { loadConfig as loadSalesConfig } from '../../../sales-etl/src/config.js';
import { type CsvServer, startCsvServer } from '../../../sales-etl/test/helpers/csv-server.js';
import { expectAnswer, inMemoryGateway, loginEach, pharmacyAccount, staffAccount } from '../helpers.js';

const OPS = staffAccount('ops@example.ma', 'ops');
const ADMIN = staffAccount('admin@example.ma', 'admin');
const PHARMACY = pharmacyAccount('pharmacie.a@example.ma');

// Line 2: a date that is not one; line 3: a column missing; line 4: a product and a store never imported.
const BAD_SALES = [
  'id_vente,id_produit,id_magasin,date_vente,quantite,chiffre_affaires',
  '500,1,10,hier,1,2.5',
  '501,1,10,2024-01-01,1',
  '502,2,20,2024-01-02,1,4',
].join('\n');

describe('gateway: sales imports, rejects and schedules over the real sales service', () => {
  let nats: TestNats;
  let server: CsvServer;
  let sales: FastifyInstance | undefined;
  let gateway: FastifyInstance;
  let importId: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'gateway-sales-'));
  const headers: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    server = await startCsvServer();
    server.route('/ventes-bad.csv', { body: BAD_SALES });
    nats = await createTestNats();
    sales = await buildSalesEtl(
      loadSalesConfig({
        NATS_URL: nats.url,
        NATS_PREFIX: nats.prefix,
        SALES_DATA_DIR: dataDir,
        SALES_ALLOW_PRIVATE_URLS: 'true',
        SALES_FETCH_RETRIES: '0',
      }),
      captureLogs('sales-etl').logger,
    );
    await sales.ready();
    gateway = await inMemoryGateway(nats, [OPS, ADMIN, PHARMACY], captureLogs('gateway').logger);
    Object.assign(headers, await loginEach(gateway, [OPS, ADMIN, PHARMACY]));
    const started = await gateway.inject({
      method: 'POST',
      url: '/api/sales/imports',
      headers: headers.ops,
      payload: { urls: { sales: server.url('/ventes-bad.csv') } },
    });
    expect(started.statusCode).toBe(202);
    importId = started.json().importId;
    await eventually(
      async () => {
        const job = await gateway.inject({ url: `/api/jobs/${started.json().jobId}`, headers: headers.ops });
        expect(job.json().status).toBe('succeeded');
      },
      { timeoutMs: 20_000 },
    );
  });

  afterAll(async () => {
    await gateway?.close();
    await sales?.close();
    await nats?.cleanup();
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists the imports with their per-file counts', async () => {
    const response = await gateway.inject({ url: '/api/sales/imports?limit=5', headers: headers.ops });
    expect(response.statusCode).toBe(200);
    const run = response.json().items.find((item: { importId: string }) => item.importId === importId);
    expect(run.files).toEqual([expect.objectContaining({ kind: 'sales', url: server.url('/ventes-bad.csv') })]);
  });

  it('lists the rejected rows of an import with their reasons, paged and by file', async () => {
    const response = await gateway.inject({ url: `/api/sales/imports/${importId}/rejects`, headers: headers.ops });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.total).toBe(3);
    expect(body.items.map((item: { lineNumber: number; rawLine: string }) => [item.lineNumber, item.rawLine])).toEqual([
      [2, '500,1,10,hier,1,2.5'],
      [3, '501,1,10,2024-01-01,1'],
      [4, '502,2,20,2024-01-02,1,4'],
    ]);
    expect(body.items.every((item: { reason: string; message: string }) => item.reason && item.message)).toBe(true);
    const paged = await gateway.inject({
      url: `/api/sales/imports/${importId}/rejects?offset=1&limit=1`,
      headers: headers.admin,
    });
    expect(paged.json().items.map((item: { lineNumber: number }) => item.lineNumber)).toEqual([3]);
    const products = await gateway.inject({
      url: `/api/sales/imports/${importId}/rejects?kind=products`,
      headers: headers.ops,
    });
    expect(products.json()).toEqual({ total: 0, items: [] });
  });

  it('downloads the rejected rows as CSV with their reasons', async () => {
    const response = await gateway.inject({ url: `/api/sales/imports/${importId}/rejects.csv`, headers: headers.ops });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toContain(`rejets_${importId}.csv`);
    const lines = response.body.split('\r\n');
    expect(lines[0]).toBe('\uFEFFfichier;ligne;motif;message;contenu;url');
    expect(lines.slice(1, -1)).toHaveLength(3);
    expect(lines[1]).toMatch(/^sales;2;[A-Z_]+;.+;500,1,10,hier,1,2.5;http/);
    const comma = await gateway.inject({
      url: `/api/sales/imports/${importId}/rejects.csv?sep=,`,
      headers: headers.ops,
    });
    expect(comma.body.split('\r\n')[1]).toContain('"500,1,10,hier,1,2.5"');
  });

  it('creates, lists and deletes a recurring import; a second delete is 404', async () => {
    const created = await gateway.inject({
      method: 'POST',
      url: '/api/sales/schedules',
      headers: headers.ops,
      payload: {
        name: 'nightly',
        cron: '0 3 * * *',
        timezone: 'Africa/Casablanca',
        urls: { sales: server.url('/v.csv') },
      },
    });
    expect(created.statusCode).toBe(201);
    const schedule = created.json();
    expect(schedule).toMatchObject({ name: 'nightly', owner: OPS.email, timezone: 'Africa/Casablanca' });
    expect(schedule.nextRunAt).toEqual(expect.any(String));
    const listed = await gateway.inject({ url: '/api/sales/schedules', headers: headers.admin });
    expect(listed.json().items.map((item: { id: string }) => item.id)).toContain(schedule.id);
    const bad = await gateway.inject({
      method: 'POST',
      url: '/api/sales/schedules',
      headers: headers.ops,
      payload: { name: 'x', cron: 'not a cron', urls: { sales: server.url('/v.csv') } },
    });
    expect(bad.statusCode).toBe(400);
    const owner = await gateway.inject({
      method: 'POST',
      url: '/api/sales/schedules',
      headers: headers.ops,
      payload: { name: 'x', cron: '0 3 * * *', urls: { sales: server.url('/v.csv') }, owner: 'someone@else' },
    });
    expect(owner.statusCode).toBe(400);
    const url = `/api/sales/schedules/${schedule.id}`;
    expect((await gateway.inject({ method: 'DELETE', url, headers: headers.ops })).statusCode).toBe(204);
    expect((await gateway.inject({ method: 'DELETE', url, headers: headers.ops })).statusCode).toBe(404);
    const after = await gateway.inject({ url: '/api/sales/schedules', headers: headers.ops });
    expect(after.json().items.map((item: { id: string }) => item.id)).not.toContain(schedule.id);
  });

  it('refuses the sales routes to pharmacies (403) and without a session (401)', async () => {
    const routes = [
      ['GET', `/api/sales/imports/${importId}/rejects`],
      ['GET', `/api/sales/imports/${importId}/rejects.csv`],
      ['GET', '/api/sales/schedules'],
      ['POST', '/api/sales/schedules'],
      ['DELETE', '/api/sales/schedules/some-id'],
    ] as const;
    for (const route of routes) {
      await expectAnswer(gateway, route, 401);
      await expectAnswer(gateway, route, 403, { headers: headers.pharmacy, body: route[0] === 'POST' });
    }
  });
});
