import { rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JobStore, publishEvent } from '@pharma/shared/messaging';
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
import { expectAnswer, inMemoryAuth, loginAs, pharmacyAccount, staffAccount, startGateway } from '../helpers.js';

const A = pharmacyAccount('pharmacie.a@example.ma');
const B = pharmacyAccount('pharmacie.b@example.ma');
const OPS = staffAccount('ops@example.ma', 'ops');

describe('gateway: pharmacy API over the real storage service', () => {
  let nats: TestNats;
  let bucket: TestBucket;
  let storage: FastifyInstance | undefined;
  let gateway: FastifyInstance;
  let jobs: JobStore;
  const logs = captureLogs('gateway');
  const storageLogs = captureLogs('storage-sync');
  const dataDir = tempDir('gateway-storage-');
  const headers: Record<string, Record<string, string>> = {};
  const statementA = statementEvent({ pharmacyId: A.email, clientKey: '101', count: 12, seed: 4, opening: 120 });

  beforeAll(async () => {
    nats = await createTestNats();
    bucket = await createTestBucket();
    storage = await startStorageSync({
      natsUrl: nats.url,
      prefix: nats.prefix,
      s3: bucket.s3,
      bucket: bucket.bucket,
      dataDir,
      logger: storageLogs.logger,
    });
    gateway = await startGateway({
      natsUrl: nats.url,
      prefix: nats.prefix,
      logger: logs.logger,
      auth: inMemoryAuth([A, B, OPS]),
    });
    jobs = await JobStore.open(nats.ctx);
    let n = 0;
    const publish = (subject: 'sobrus.clients.extracted' | 'sobrus.statement.parsed', payload: unknown) =>
      // biome-ignore lint/suspicious/noExplicitAny: payloads come from the storage factories, typed per subject
      publishEvent(nats.ctx, subject, payload as any, { msgId: `gw-${++n}` });
    await publish(
      'sobrus.clients.extracted',
      clientsEvent(A.email, [
        { clientKey: '101', name: 'Amine Tazi' },
        { clientKey: '102', name: 'Sara Alami' },
      ]),
    );
    await publish('sobrus.clients.extracted', clientsEvent(B.email, [{ clientKey: '201', name: 'Karim Bennani' }]));
    await publish('sobrus.statement.parsed', statementA);
    await publish('sobrus.statement.parsed', statementEvent({ pharmacyId: B.email, clientKey: '201', seed: 9 }));
    headers.A = await loginAs(gateway, A);
    headers.B = await loginAs(gateway, B);
    headers.OPS = await loginAs(gateway, OPS);
    await eventually(
      async () => {
        const response = await gateway.inject({ url: '/api/clients/101/statement', headers: headers.A });
        expect(response.statusCode).toBe(200);
      },
      { timeoutMs: 20_000 },
    );
  });

  afterAll(async () => {
    await gateway?.close();
    await storage?.close();
    await nats?.cleanup();
    bucket?.client.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs in with an httpOnly SameSite=Strict cookie and the token, and tells who is calling', async () => {
    const login = await gateway.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: A.email, password: A.password },
    });
    expect(login.statusCode).toBe(200);
    const body = login.json();
    expect(body.principal).toEqual({ kind: 'pharmacy', owner: A.email, role: 'pharmacy', pharmacyId: A.email });
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toContain(`pharma_session=${body.token}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);

    const me = await gateway.inject({ url: '/api/me', cookies: { pharma_session: body.token } });
    expect(me.json()).toMatchObject({ owner: A.email, kind: 'pharmacy' });

    const logout = await gateway.inject({
      method: 'POST',
      url: '/api/auth/logout',
      cookies: { pharma_session: body.token },
    });
    expect(logout.statusCode).toBe(204);
    expect(String(logout.headers['set-cookie'])).toMatch(/pharma_session=;/);
    const after = await gateway.inject({ url: '/api/me', cookies: { pharma_session: body.token } });
    expect(after.statusCode).toBe(401);
  });

  it('rejects bad logins: wrong password 401, missing or malformed fields 400 naming them', async () => {
    const wrong = await gateway.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: A.email, password: 'nope' },
    });
    expect(wrong.statusCode).toBe(401);
    const missing = await gateway.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'x' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().fields).toEqual(expect.arrayContaining(['password', 'email']));
  });

  it('answers 401 without a session on every pharmacy route and 403 to staff', async () => {
    const routes = [
      ['GET', '/api/clients'],
      ['GET', '/api/clients/101/statement'],
      ['GET', '/api/clients/101/transactions.csv'],
      ['GET', '/api/balances'],
      ['GET', '/api/receivables/ageing'],
      ['GET', '/api/pharmacy.db'],
      ['POST', '/api/clients/refresh'],
      ['POST', '/api/statements/refresh'],
      ['GET', '/api/me'],
      ['GET', '/api/jobs'],
    ] as const;
    for (const route of routes) {
      const [method, url] = route;
      await expectAnswer(gateway, route, 401, { body: method === 'POST' });
      await expectAnswer(gateway, route, 401, { headers: { authorization: 'Bearer forged' } });
      if (url === '/api/me' || url === '/api/jobs') continue;
      await expectAnswer(gateway, route, 403, { headers: headers.OPS, body: method === 'POST' });
    }
  });

  it('keeps each pharmacy to its own customers, whatever the request says', async () => {
    const a = await gateway.inject({ url: '/api/clients?pharmacyId=pharmacie.b@example.ma', headers: headers.A });
    expect(a.statusCode).toBe(200);
    expect(
      a
        .json()
        .items.map((c: { clientKey: string }) => c.clientKey)
        .sort(),
    ).toEqual(['101', '102']);
    const b = await gateway.inject({ url: '/api/clients', headers: headers.B });
    expect(b.json().items.map((c: { clientKey: string }) => c.clientKey)).toEqual(['201']);
    const search = await gateway.inject({ url: '/api/clients?search=Sara', headers: headers.A });
    expect(search.json()).toMatchObject({ total: 1, items: [{ clientKey: '102', name: 'Sara Alami' }] });

    const foreignStatement = await gateway.inject({ url: '/api/clients/201/statement', headers: headers.A });
    expect(foreignStatement.statusCode).toBe(404);
    const foreignCsv = await gateway.inject({ url: '/api/clients/201/transactions.csv', headers: headers.A });
    expect(foreignCsv.body).not.toContain('Karim');
  });

  it('validates paging and dates with the failing field names', async () => {
    const paging = await gateway.inject({ url: '/api/clients?limit=0&offset=-1', headers: headers.A });
    expect(paging.statusCode).toBe(400);
    expect(paging.json().fields).toEqual(expect.arrayContaining(['limit', 'offset']));
    const period = await gateway.inject({ url: '/api/clients/101/statement?from=2024-13', headers: headers.A });
    expect(period.statusCode).toBe(400);
    expect(period.json().fields).toContain('from');
    const key = await gateway.inject({ url: '/api/clients/bad key!/statement', headers: headers.A });
    expect(key.statusCode).toBe(400);
    const refresh = await gateway.inject({
      method: 'POST',
      url: '/api/statements/refresh',
      headers: headers.A,
      payload: { to: '2024-01-01', clientKeys: ['ok', 'not ok'] },
    });
    expect(refresh.statusCode).toBe(400);
    expect(refresh.json().fields).toEqual(['clientKeys.1']);
    const reversed = await gateway.inject({
      method: 'POST',
      url: '/api/statements/refresh',
      headers: headers.A,
      payload: { from: '2024-02-01', to: '2024-01-01' },
    });
    expect(reversed.statusCode).toBe(400);
    const csv = await gateway.inject({ url: '/api/clients/101/transactions.csv?sep=x', headers: headers.A });
    expect(csv.statusCode).toBe(400);
    expect(csv.json().fields).toContain('sep');
  });

  it('serves a statement with balances, verdict, totals by kind and product lines', async () => {
    const response = await gateway.inject({ url: '/api/clients/101/statement', headers: headers.A });
    const body = response.json();
    expect(body.statement).toMatchObject({
      clientKey: '101',
      openingBalance: statementA.statement.openingBalance,
      closingBalance: statementA.statement.closingBalance,
      verdict: statementA.statement.verdict,
    });
    expect(body.transactions).toHaveLength(12);
    expect(body.transactions.some((t: { lines: unknown[] }) => t.lines.length > 0)).toBe(true);
    expect(body.totals.sales.count + body.totals.payments.count + body.totals.creditNotes.count).toBeGreaterThan(0);
    expect(body.customer.name).toBe('Amine Tazi');
  });

  it('streams transactions as CSV with the separator asked for', async () => {
    const response = await gateway.inject({ url: '/api/clients/101/transactions.csv?sep=;', headers: headers.A });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/csv/);
    expect(response.headers['content-disposition']).toMatch(/attachment; filename=".+\.csv"/);
    const lines = response.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines).toHaveLength(13);
    expect(lines[0]).toContain(';');
    const comma = await gateway.inject({ url: '/api/clients/101/transactions.csv?sep=,', headers: headers.A });
    expect(comma.body.replace(/^\uFEFF/, '').split(/\r?\n/)[0]).toContain(',');
  });

  it('exports a statement as an Excel workbook with its transactions and product lines', async () => {
    const response = await gateway.inject({ url: '/api/clients/101/transactions.xlsx', headers: headers.A });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toMatch(/releve_101_.+\.xlsx/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as never);
    const transactions = workbook.getWorksheet('Opérations');
    expect(transactions?.rowCount).toBe(13);
    const last = statementA.statement.transactions.at(-1);
    expect(transactions?.getRow(13).getCell('G').value).toBe(last?.balance);
    const lineCount = statementA.statement.transactions.reduce((n, t) => n + t.lines.length, 0);
    expect(workbook.getWorksheet('Produits')?.rowCount).toBe(lineCount + 1);
    const foreign = await gateway.inject({ url: '/api/clients/201/transactions.xlsx', headers: headers.A });
    expect(foreign.statusCode).toBe(404);
  });

  it('gives balances with discrepancies first and receivables ageing with top debtors', async () => {
    const balances = await gateway.inject({ url: '/api/balances', headers: headers.A });
    expect(balances.statusCode).toBe(200);
    expect(balances.json().total).toBe(2);
    const ageing = await gateway.inject({ url: '/api/receivables/ageing?debtors=5', headers: headers.A });
    expect(ageing.statusCode).toBe(200);
    const body = ageing.json();
    expect(Object.keys(body.overall)).toEqual(
      expect.arrayContaining(['days0to30', 'days31to60', 'days61to90', 'over90']),
    );
    expect(Array.isArray(body.debtors)).toBe(true);
  });

  it("downloads the pharmacy's own database", async () => {
    const response = await gateway.inject({ url: '/api/pharmacy.db', headers: headers.A });
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload.subarray(0, 15).toString('latin1')).toBe('SQLite format 3');
  });

  it('starts a customer refresh as a job that only its owner (and staff) can see or cancel', async () => {
    const started = await gateway.inject({ method: 'POST', url: '/api/clients/refresh', headers: headers.A });
    expect(started.statusCode).toBe(202);
    const { jobId, job } = started.json();
    expect(job).toMatchObject({ id: jobId, kind: 'clients.refresh', owner: A.email, status: 'queued' });
    expect(await jobs.get(jobId)).toMatchObject({ status: 'queued' });

    expect((await gateway.inject({ url: `/api/jobs/${jobId}`, headers: headers.A })).statusCode).toBe(200);
    expect((await gateway.inject({ url: `/api/jobs/${jobId}`, headers: headers.B })).statusCode).toBe(403);
    expect((await gateway.inject({ url: `/api/jobs/${jobId}`, headers: headers.OPS })).statusCode).toBe(200);
    expect((await gateway.inject({ url: '/api/jobs/nope', headers: headers.A })).statusCode).toBe(404);
    const listB = await gateway.inject({ url: '/api/jobs', headers: headers.B });
    expect(listB.json().items.map((j: { id: string }) => j.id)).not.toContain(jobId);
    const listA = await gateway.inject({ url: '/api/jobs?kind=clients.refresh', headers: headers.A });
    expect(listA.json().items.map((j: { id: string }) => j.id)).toContain(jobId);
    expect((await gateway.inject({ url: '/api/jobs?status=bogus', headers: headers.A })).statusCode).toBe(400);

    const foreignCancel = await gateway.inject({ method: 'DELETE', url: `/api/jobs/${jobId}`, headers: headers.B });
    expect(foreignCancel.statusCode).toBe(403);
    const cancel = await gateway.inject({ method: 'DELETE', url: `/api/jobs/${jobId}`, headers: headers.A });
    expect(cancel.statusCode).toBe(202);
    expect(cancel.json()).toMatchObject({ status: 'cancelled', cancelRequested: true });
  });

  it("starts a statements refresh for chosen customers as a job, under the caller's correlation id", async () => {
    const requests = nats.ctx.nc.subscribe(nats.ctx.subject('sobrus.statements.refresh.requested'), { max: 1 });
    const response = await gateway.inject({
      method: 'POST',
      url: '/api/statements/refresh',
      headers: { ...headers.A, 'x-correlation-id': 'support-ticket-981' },
      payload: { from: '2020-01-01', to: '2024-12-31', clientKeys: ['101'] },
    });
    expect(response.statusCode).toBe(202);
    expect(response.headers['x-correlation-id']).toBe('support-ticket-981');
    expect(response.json().job).toMatchObject({
      kind: 'statements.refresh',
      owner: A.email,
      correlationId: 'support-ticket-981',
    });
    // The job request carries the id in its header (for every consumer) and in its payload.
    for await (const msg of requests) {
      expect(msg.headers?.get('Correlation-Id')).toBe('support-ticket-981');
      expect(msg.json()).toMatchObject({ jobId: response.json().jobId, correlationId: 'support-ticket-981' });
    }
    expect(logs.lines().some((line) => line.correlationId === 'support-ticket-981')).toBe(true);
  });

  it('streams a job over SSE: progress as it moves, then the final state', async () => {
    const job = await jobs.create({ id: `sse-${Date.now()}`, kind: 'clients.refresh', owner: A.email });
    await gateway.listen({ port: 0, host: '127.0.0.1' });
    const { port } = gateway.server.address() as AddressInfo;
    const events: { event: string; data: { status: string; progress: { done: number } } }[] = [];
    const finished = new Promise<void>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, path: `/api/jobs/${job.id}/events`, headers: headers.A },
        (res) => {
          expect(res.headers['content-type']).toMatch(/text\/event-stream/);
          let buffer = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buffer += chunk;
            let cut = buffer.indexOf('\n\n');
            while (cut >= 0) {
              const block = buffer.slice(0, cut);
              buffer = buffer.slice(cut + 2);
              const event = /^event: (.+)$/m.exec(block)?.[1];
              const data = /^data: (.+)$/m.exec(block)?.[1];
              if (event && data) events.push({ event, data: JSON.parse(data) });
              cut = buffer.indexOf('\n\n');
            }
          });
          res.on('end', () => resolve());
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
    await eventually(() => expect(events.length).toBeGreaterThan(0));
    for (let done = 1; done <= 3; done++) {
      await jobs.update(job.id, () => ({ status: 'running', progress: { done, total: 3, stage: 'collecting' } }));
      await eventually(() => expect(events.at(-1)?.data.progress.done).toBe(done));
    }
    await jobs.update(job.id, () => ({ status: 'succeeded', result: { customers: 3 } }));
    await finished;
    expect(events.map((e) => e.event)).toEqual(['progress', 'progress', 'progress', 'progress', 'end']);
    expect(events.at(-1)?.data.status).toBe('succeeded');
    const other = await gateway.inject({ url: `/api/jobs/${job.id}/events`, headers: headers.B });
    expect(other.statusCode).toBe(403);
  });

  it('lists a partial job under its status, and its event stream ends with it', async () => {
    const job = await jobs.create({ id: `partial-${Date.now()}`, kind: 'statements.refresh', owner: A.email });
    const failed = { item: '101', code: 'TRUNCATED', message: 'the PDF ends early' };
    await jobs.update(job.id, () => ({ status: 'partial', result: { downloaded: 2, failed: 1 }, errors: [failed] }));
    const listed = await gateway.inject({ url: '/api/jobs?status=partial', headers: headers.A });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items).toEqual([expect.objectContaining({ id: job.id, status: 'partial', errors: [failed] })]);
    const stream = await gateway.inject({ url: `/api/jobs/${job.id}/events`, headers: headers.A });
    expect(stream.body.match(/^event: \w+$/gm)).toEqual(['event: end']);
  });

  it('ends open event streams when the gateway closes', async () => {
    const job = await jobs.create({ id: `open-${Date.now()}`, kind: 'clients.refresh', owner: A.email });
    const auth = inMemoryAuth([A]);
    const second = await startGateway({ natsUrl: nats.url, prefix: nats.prefix, logger: logs.logger, auth });
    await second.listen({ port: 0, host: '127.0.0.1' });
    const { port } = second.server.address() as AddressInfo;
    const token = await loginAs(second, A);
    let body = '';
    const ended = new Promise<string>((resolve, reject) => {
      httpRequest({ host: '127.0.0.1', port, path: `/api/jobs/${job.id}/events`, headers: token }, (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve(body));
      })
        .on('error', reject)
        .end();
    });
    await eventually(() => expect(body).toContain('event: progress'));
    await second.close();
    expect(await ended).toContain('event: progress');
  });

  it('sends security headers, no CORS, and logs request ids', async () => {
    const response = await gateway.inject({
      url: '/api/me',
      headers: { ...headers.A, origin: 'https://evil.example', 'x-request-id': 'req-test-42' },
    });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(response.headers['x-ratelimit-limit']).toBeDefined();
    expect(response.headers['x-correlation-id']).toBe('req-test-42');
    expect(logs.lines().some((line) => line.correlationId === 'req-test-42')).toBe(true);
  });
});
