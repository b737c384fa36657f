import { createHash } from 'node:crypto';
import { JobStore, openObjectStore, publishEvent } from '@pharma/shared/messaging';
import { captureLogs, createTestNats, eventually, type TestNats } from '@pharma/testkit';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp as buildPdfProcessor } from '../../../pdf-processor/src/app.js';
import { loadConfig as loadPdfProcessorConfig } from '../../../pdf-processor/src/config.js';
import { unknownProducerStatement } from '../../../pdf-processor/test/helpers/text-pdf.js';
import { inMemoryGateway, loginEach, pharmacyAccount, staffAccount } from '../helpers.js';

const OPS = staffAccount('ops@example.ma', 'ops');
const PHARMACY = pharmacyAccount('pharmacie.dumps@example.ma');
const JOB = 'statements-job-with-a-stranger';
const CUSTOMER = 'Noureddine Bennani';

describe('gateway: layout dumps of statements the pdf-processor could not read', () => {
  let nats: TestNats;
  let pdfProcessor: FastifyInstance;
  let gateway: FastifyInstance;
  const headers: Record<string, Record<string, string>> = {};
  const listUrl = `/api/jobs/${JOB}/layout-dumps`;

  beforeAll(async () => {
    nats = await createTestNats();
    pdfProcessor = await buildPdfProcessor(
      loadPdfProcessorConfig({ NATS_URL: nats.url, NATS_PREFIX: nats.prefix, PDF_PROCESSOR_THREADS: '1' }),
      captureLogs('pdf-processor').logger,
    );
    await pdfProcessor.ready();
    gateway = await inMemoryGateway(nats, [OPS, PHARMACY], captureLogs('gateway').logger);
    Object.assign(headers, await loginEach(gateway, [OPS, PHARMACY]));

    // The pharmacy's statements job, and one PDF of it printed by a program the parser cannot read.
    const jobs = await JobStore.open(nats.ctx);
    await jobs.create({ id: JOB, kind: 'statements.refresh', owner: PHARMACY.email });
    const pdf = unknownProducerStatement(CUSTOMER);
    const name = `${PHARMACY.email}/4711/2024-01-01_2024-03-31/${JOB}.pdf`;
    await (await openObjectStore(nats.ctx, 'statements')).putBlob({ name }, pdf);
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    await publishEvent(
      nats.ctx,
      'sobrus.statement.pdf.ready',
      {
        jobId: JOB,
        pharmacyId: PHARMACY.email,
        clientKey: '4711',
        customerName: CUSTOMER,
        from: '2024-01-01',
        to: '2024-03-31',
        object: { bucket: 'statements', name, size: pdf.byteLength, sha256 },
        downloadedAt: new Date().toISOString(),
      },
      { msgId: `ready-${JOB}-4711-${sha256}` },
    );
  });

  afterAll(async () => {
    await gateway?.close();
    await pdfProcessor?.close();
    await nats?.cleanup();
  });

  it("lists the job's dumps for staff, then serves one: redacted, with the producer and the fonts", async () => {
    const items = await eventually(
      async () => {
        const response = await gateway.inject({ url: listUrl, headers: headers.ops });
        expect(response.statusCode, response.body).toBe(200);
        const body = response.json<{ items: Record<string, unknown>[] }>();
        expect(body.items).toHaveLength(1);
        return body.items;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(items[0]).toEqual({
      clientKey: '4711',
      from: '2024-01-01',
      to: '2024-03-31',
      outcome: 'NOT_A_STATEMENT',
      via: expect.stringMatching(/^(fast|pdfjs)$/),
      producer: 'Acme Reports 3.1',
      size: expect.any(Number),
      keptAt: expect.any(String),
      url: `/api/jobs/${JOB}/layout-dumps/4711/2024-01-01/2024-03-31`,
    });

    const response = await gateway.inject({ url: String(items[0]!.url), headers: headers.ops });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="layout-${JOB}-4711-2024-01-01_2024-03-31.json"`,
    );
    const dump = response.json();
    expect(dump).toMatchObject({
      kind: 'statement-layout',
      statement: { jobId: JOB, clientKey: '4711' },
      outcome: { code: 'NOT_A_STATEMENT' },
      producer: 'Acme Reports 3.1',
      creator: 'ERP Export',
    });
    expect(dump.fonts.map((font: { name: string }) => font.name).sort()).toEqual(['Helvetica', 'Helvetica-Bold']);
    const texts: string[] = dump.pages[0].items.map((item: { text: string }) => item.text);
    expect(texts).toContain('Client : xxxxxxxxxx xxxxxxx');
    expect(texts).toContain('Date');
    for (const secret of ['Noureddine', 'Bennani', 'Atlas', '1 250', '000123', PHARMACY.email]) {
      expect(response.body.includes(secret), secret).toBe(false);
    }
  });

  it('refuses the pharmacy itself (403), even for its own job, and anyone without a session (401)', async () => {
    const dumpUrl = `${listUrl}/4711/2024-01-01/2024-03-31`;
    for (const url of [listUrl, dumpUrl]) {
      expect((await gateway.inject({ url, headers: headers.pharmacy })).statusCode, url).toBe(403);
      expect((await gateway.inject({ url })).statusCode, url).toBe(401);
    }
  });

  it('answers 404 for an unknown job or a statement without a dump, 400 for a malformed key or date', async () => {
    const unknownJob = await gateway.inject({ url: '/api/jobs/no-such-job/layout-dumps', headers: headers.ops });
    expect(unknownJob.statusCode).toBe(404);
    const jobs = await JobStore.open(nats.ctx);
    await jobs.create({ id: `${JOB}-clean`, kind: 'statements.refresh', owner: PHARMACY.email });
    const clean = await gateway.inject({ url: `/api/jobs/${JOB}-clean/layout-dumps`, headers: headers.ops });
    expect(clean.statusCode).toBe(200);
    expect(clean.json()).toEqual({ items: [] });
    const missing = await gateway.inject({ url: `${listUrl}/4712/2024-01-01/2024-03-31`, headers: headers.ops });
    expect(missing.statusCode).toBe(404);
    const badKey = await gateway.inject({ url: `${listUrl}/47.11/2024-01-01/2024-03-31`, headers: headers.ops });
    expect(badKey.statusCode).toBe(400);
    const badDate = await gateway.inject({ url: `${listUrl}/4711/2024-1-1/2024-03-31`, headers: headers.ops });
    expect(badDate.statusCode).toBe(400);
  });
  it('documents both routes in OpenAPI, and the events name the dump in AsyncAPI', async () => {
    const spec = (await gateway.inject({ url: '/docs/json' })).json();
    for (const path of ['/api/jobs/{id}/layout-dumps', '/api/jobs/{id}/layout-dumps/{clientKey}/{from}/{to}']) {
      expect(spec.paths[path]?.get?.tags, path).toEqual(['jobs']);
    }
    const events = (await gateway.inject({ url: '/docs/asyncapi.json' })).json();
    for (const subject of ['sobrus.statement.failed', 'sobrus.statement.parsed']) {
      const payload = events.channels[subject].subscribe.message.payload;
      expect(Object.keys(payload.properties.layoutDump.properties).sort(), subject).toEqual(['bucket', 'name', 'size']);
    }
  });
});
