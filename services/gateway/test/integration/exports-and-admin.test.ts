import { rmSync } from 'node:fs';
import type { EventPayload } from '@pharma/shared/messaging';
import { consumeEvents, type EventConsumer, publishEvent } from '@pharma/shared/messaging';
import { defaultPeriod } from '@pharma/shared/period';
import {
  captureLogs,
  createTestBucket,
  createTestNats,
  eventually,
  type TestBucket,
  type TestNats,
} from '@pharma/testkit';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientsEvent, statementEvent } from '../../../storage-sync/test/factories.js';
import { startStorageSync, tempDir } from '../../../storage-sync/test/helpers.js';
import { inMemoryGateway, loginEach, pharmacyAccount, staffAccount } from '../helpers.js';

const A = pharmacyAccount('pharmacie.a@example.ma');
const B = pharmacyAccount('pharmacie.b@example.ma');
const OPS = staffAccount('ops@example.ma', 'ops');
const ADMIN = staffAccount('admin@example.ma', 'admin');

const EXPORTS = ['customers', 'balances', 'ageing'].flatMap((dataset) => [
  `/api/exports/${dataset}.csv`,
  `/api/exports/${dataset}.xlsx`,
]);

/** The data rows of a CSV answer (BOM and header line left out). */
const csvRows = (body: string) => body.split('\r\n').slice(1, -1);

async function sheetRows(payload: Buffer): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(payload as never);
  const rows: unknown[][] = [];
  workbook.worksheets[0]?.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

describe('gateway: exports, statement periods and storage administration over the real storage service', () => {
  let nats: TestNats;
  let bucket: TestBucket;
  let storage: FastifyInstance | undefined;
  let gateway: FastifyInstance;
  let refreshes: EventConsumer | undefined;
  const refreshRequests: EventPayload<'sobrus.statements.refresh.requested'>[] = [];
  const dataDir = tempDir('gateway-exports-');
  const headers: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    nats = await createTestNats();
    bucket = await createTestBucket();
    storage = await startStorageSync({
      natsUrl: nats.url,
      prefix: nats.prefix,
      s3: bucket.s3,
      bucket: bucket.bucket,
      dataDir,
      logger: captureLogs('storage-sync').logger,
    });
    gateway = await inMemoryGateway(nats, [A, B, OPS, ADMIN], captureLogs('gateway').logger);
    refreshes = await consumeEvents(nats.ctx, {
      subject: 'sobrus.statements.refresh.requested',
      durable: 'test-refresh-requests',
      logger: captureLogs('test').logger,
      handler: async (payload) => void refreshRequests.push(payload),
    });
    let n = 0;
    const publish = (subject: 'sobrus.clients.extracted' | 'sobrus.statement.parsed', payload: unknown) =>
      // biome-ignore lint/suspicious/noExplicitAny: payloads come from the storage factories, typed per subject
      publishEvent(nats.ctx, subject, payload as any, { msgId: `exports-${++n}` });
    await publish(
      'sobrus.clients.extracted',
      clientsEvent(A.email, [
        { clientKey: '101', name: 'Amine Tazi' },
        { clientKey: '102', name: 'Sara Alami' },
      ]),
    );
    await publish('sobrus.clients.extracted', clientsEvent(B.email, [{ clientKey: '201', name: 'Karim Bennani' }]));
    // Two statements of customer 101: an older period of 3 transactions, the current one of 7.
    await publish(
      'sobrus.statement.parsed',
      statementEvent({ pharmacyId: A.email, clientKey: '101', count: 3, to: '2024-12-31' }),
    );
    await publish('sobrus.statement.parsed', statementEvent({ pharmacyId: A.email, clientKey: '101', count: 7 }));
    await publish('sobrus.statement.parsed', statementEvent({ pharmacyId: B.email, clientKey: '201', seed: 9 }));
    Object.assign(headers, await loginEach(gateway, [A, B, OPS, ADMIN], (account) => account.email));
    await eventually(
      async () => {
        for (const url of ['/api/clients/101/statement', '/api/clients/101/statement?from=2017-01-01&to=2024-12-31']) {
          const response = await gateway.inject({ url, headers: headers[A.email] });
          expect(response.statusCode).toBe(200);
        }
        const b = await gateway.inject({ url: '/api/clients/201/statement', headers: headers[B.email] });
        expect(b.statusCode).toBe(200);
      },
      { timeoutMs: 20_000 },
    );
  });

  afterAll(async () => {
    await refreshes?.stop();
    await gateway?.close();
    await storage?.close();
    await nats?.cleanup();
    bucket?.client.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("exports a customer's transactions of the period asked as CSV, as the Excel export does", async () => {
    const period = 'from=2017-01-01&to=2024-12-31';
    const older = await gateway.inject({
      url: `/api/clients/101/transactions.csv?${period}`,
      headers: headers[A.email],
    });
    expect(older.statusCode).toBe(200);
    expect(csvRows(older.body)).toHaveLength(3);
    expect(older.headers['content-disposition']).toContain('2017-01-01_2024-12-31');
    const excel = await gateway.inject({
      url: `/api/clients/101/transactions.xlsx?${period}`,
      headers: headers[A.email],
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(excel.rawPayload as never);
    expect(workbook.getWorksheet('Opérations')?.rowCount).toBe(1 + 3);
    const current = await gateway.inject({ url: '/api/clients/101/transactions.csv', headers: headers[A.email] });
    expect(csvRows(current.body)).toHaveLength(7);
  });

  it('refreshes statements over the default period (2017-01-01 to yesterday) when none is given', async () => {
    const defaults = await gateway.inject({
      method: 'POST',
      url: '/api/statements/refresh',
      headers: headers[A.email],
      payload: {},
    });
    expect(defaults.statusCode).toBe(202);
    const chosen = await gateway.inject({
      method: 'POST',
      url: '/api/statements/refresh',
      headers: headers[A.email],
      payload: { from: '2023-01-01' },
    });
    expect(chosen.statusCode).toBe(202);
    await eventually(() => expect(refreshRequests).toHaveLength(2));
    const byJob = new Map(refreshRequests.map((request) => [request.jobId, request]));
    expect(byJob.get(defaults.json().jobId)).toMatchObject({ pharmacyId: A.email, ...defaultPeriod() });
    expect(byJob.get(chosen.json().jobId)).toMatchObject({ from: '2023-01-01', to: defaultPeriod().to });
  });

  it("exports the pharmacy's customers, balances and ageing as CSV and Excel, its own data only", async () => {
    const customers = await gateway.inject({ url: '/api/exports/customers.csv', headers: headers[A.email] });
    expect(customers.statusCode).toBe(200);
    expect(customers.headers['content-type']).toMatch(/^text\/csv/);
    expect(customers.body.startsWith('\uFEFFclient_key;nom;')).toBe(true);
    expect(csvRows(customers.body).map((row) => row.split(';').slice(0, 2))).toEqual([
      ['101', 'Amine Tazi'],
      ['102', 'Sara Alami'],
    ]);
    const comma = await gateway.inject({ url: '/api/exports/balances.csv?sep=,', headers: headers[A.email] });
    expect(comma.body.split('\r\n')[0]).toContain('client_key,nom,du,au');
    const ageing = await gateway.inject({ url: '/api/exports/ageing.csv?asOf=2025-01-09', headers: headers[A.email] });
    expect(ageing.statusCode).toBe(200);
    expect(ageing.body).toContain('0_30_jours');

    const workbook = await gateway.inject({ url: '/api/exports/customers.xlsx', headers: headers[A.email] });
    expect(workbook.statusCode).toBe(200);
    expect(workbook.headers['content-disposition']).toContain('clients.xlsx');
    const rows = await sheetRows(workbook.rawPayload);
    expect(rows[0]?.slice(0, 2)).toEqual(['Code client', 'Nom']);
    expect(rows.slice(1).map((row) => row[0])).toEqual(['101', '102']);
    const balances = await sheetRows(
      (await gateway.inject({ url: '/api/exports/balances.xlsx', headers: headers[A.email] })).rawPayload,
    );
    expect(balances.slice(1).map((row) => row[0])).toEqual(expect.arrayContaining(['101']));
    const ageingSheet = await sheetRows(
      (await gateway.inject({ url: '/api/exports/ageing.xlsx?asOf=2025-01-09', headers: headers[A.email] })).rawPayload,
    );
    expect(ageingSheet[0]).toContain('> 90 jours');

    for (const url of EXPORTS) {
      const response = await gateway.inject({ url: `${url}?pharmacyId=${B.email}`, headers: headers[A.email] });
      expect(response.statusCode, url).toBe(200);
      const text = url.endsWith('.csv') ? response.body : JSON.stringify(await sheetRows(response.rawPayload));
      expect(text, url).not.toContain('Karim Bennani');
      expect(text, url).not.toMatch(/(^|\n|")201[;,"]/);
    }
  });

  it('refuses the exports without a session (401) and to staff (403)', async () => {
    for (const url of EXPORTS) {
      expect((await gateway.inject({ url })).statusCode, url).toBe(401);
      expect((await gateway.inject({ url, headers: headers[OPS.email] })).statusCode, url).toBe(403);
      expect((await gateway.inject({ url, headers: headers[ADMIN.email] })).statusCode, url).toBe(403);
    }
    const bad = await gateway.inject({ url: '/api/exports/ageing.csv?asOf=soon', headers: headers[A.email] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields).toContain('asOf');
  });

  it("lets an admin upload a pharmacy's database now and restore it; ops and pharmacies get 403", async () => {
    const url = (action: string) => `/api/admin/pharmacies/${encodeURIComponent(A.email)}/${action}`;
    const synced = await gateway.inject({ method: 'POST', url: url('sync-now'), headers: headers[ADMIN.email] });
    expect(synced.statusCode).toBe(200);
    expect(synced.json()).toMatchObject({ pharmacyId: A.email, state: 'synced', behind: false });
    expect(synced.json().generation).toBeGreaterThan(0);
    const restored = await gateway.inject({ method: 'POST', url: url('restore'), headers: headers[ADMIN.email] });
    expect(restored.statusCode).toBe(200);
    expect(restored.json().decision).toBe('keep-local');

    for (const action of ['sync-now', 'restore']) {
      expect((await gateway.inject({ method: 'POST', url: url(action) })).statusCode).toBe(401);
      for (const account of [OPS, A]) {
        const refused = await gateway.inject({ method: 'POST', url: url(action), headers: headers[account.email] });
        expect(refused.statusCode, `${account.email} ${action}`).toBe(403);
      }
    }
    const bad = await gateway.inject({
      method: 'POST',
      url: '/api/admin/pharmacies/x/sync-now',
      headers: headers[ADMIN.email],
    });
    expect(bad.statusCode).toBe(400);
  });
});
