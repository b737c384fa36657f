import { randomUUID } from 'node:crypto';
import { createServiceApp, natsPlugin } from '@pharma/shared/fastify';
import { withCorrelationId, withoutCorrelationId } from '@pharma/shared/logger';
import {
  consumeEvents,
  defineRpc,
  type EventConsumer,
  ensureStreams,
  JobStore,
  publishEvent,
  requestRpc,
  serveRpc,
} from '@pharma/shared/messaging';
import { captureLogs, createTestNats, eventually, type TestNats } from '@pharma/testkit';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const startScan = defineRpc({
  subject: 'rpc.test.scan.start',
  request: Type.Object({ requestedBy: Type.String() }),
  response: Type.Object({ jobId: Type.String() }),
  description: 'queues a scan job',
});

/**
 * One job's path through three "services" sharing a NATS server: an HTTP request starts it, a request/reply
 * queues it, an event carries it to a worker. Every log line written for it names the caller's correlation id.
 */
describe('correlation ids follow a job across HTTP, request/reply and events', () => {
  let nats: TestNats;
  let app: FastifyInstance;
  let consumer: EventConsumer;
  let jobs: JobStore;
  const gatewayLogs = captureLogs('gateway');
  const registryLogs = captureLogs('registry');
  const workerLogs = captureLogs('worker');
  const handled: { jobId: string; correlationId: string | undefined }[] = [];

  beforeAll(async () => {
    nats = await createTestNats();
    await ensureStreams(nats.ctx, ['REGISTRY']);
    jobs = await JobStore.open(nats.ctx);
    serveRpc(nats.ctx, startScan, {
      logger: registryLogs.logger,
      handler: async ({ requestedBy }) => {
        const jobId = randomUUID();
        await jobs.create({ id: jobId, kind: 'registry.scan', owner: requestedBy });
        // No correlation id given: the request's is used for the header, the job and the log line.
        await publishEvent(
          nats.ctx,
          'registry.scan.requested',
          { jobId, requestedBy, requestedAt: new Date().toISOString() },
          { msgId: `scan:${jobId}` },
        );
        registryLogs.logger.info({ jobId }, 'scan queued');
        return { jobId };
      },
    });
    consumer = await consumeEvents(nats.ctx, {
      subject: 'registry.scan.requested',
      durable: 'correlation-test',
      logger: workerLogs.logger,
      handler: async (payload, context) => {
        // A plain (non-child) logger still names the job's id.
        workerLogs.logger.info({ jobId: payload.jobId }, 'scan started');
        await new Promise((resolve) => setTimeout(resolve, 5));
        workerLogs.logger.info({ jobId: payload.jobId }, 'scan finished');
        handled.push({ jobId: payload.jobId, correlationId: context.correlationId });
      },
    });
    app = await createServiceApp({ service: 'gateway', version: '0.0.0', logger: gatewayLogs.logger });
    await app.register(natsPlugin, { url: nats.url, prefix: nats.prefix });
    app.post('/scans', async (request) => {
      request.log.info('starting a scan');
      return requestRpc(app.nats, startScan, { requestedBy: 'ops@example.com' });
    });
  });

  afterAll(async () => {
    await consumer?.stop();
    await app?.close();
    await nats?.cleanup();
  });

  const linesOf = (logs: ReturnType<typeof captureLogs>, jobId: string) =>
    logs.lines().filter((line) => line.jobId === jobId);

  it("takes the caller's x-correlation-id, returns it, and every service logs it for the job", async () => {
    const correlationId = `corr-${randomUUID()}`;
    const response = await app.inject({
      method: 'POST',
      url: '/scans',
      headers: { 'x-correlation-id': correlationId },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-correlation-id']).toBe(correlationId);
    const { jobId } = response.json() as { jobId: string };

    await eventually(() => expect(handled.find((entry) => entry.jobId === jobId)).toBeDefined());
    expect(handled.find((entry) => entry.jobId === jobId)?.correlationId).toBe(correlationId);
    expect((await jobs.require(jobId)).correlationId).toBe(correlationId);

    const gatewayLines = gatewayLogs.lines().filter((line) => line.correlationId === correlationId);
    expect(gatewayLines.map((line) => line.msg)).toEqual(
      expect.arrayContaining(['incoming request', 'starting a scan', 'request completed']),
    );
    const registryLines = linesOf(registryLogs, jobId);
    expect(registryLines.map((line) => line.msg)).toEqual(['scan queued']);
    const workerLines = linesOf(workerLogs, jobId);
    expect(workerLines.map((line) => line.msg)).toEqual(['scan started', 'scan finished']);
    for (const line of [...registryLines, ...workerLines]) expect(line.correlationId).toBe(correlationId);
  });

  it('takes x-request-id when there is no x-correlation-id, and makes an id for an unsafe or missing one', async () => {
    const byRequestId = await app.inject({ method: 'POST', url: '/scans', headers: { 'x-request-id': 'req-42' } });
    expect(byRequestId.headers['x-correlation-id']).toBe('req-42');

    const unsafe = await app.inject({
      method: 'POST',
      url: '/scans',
      headers: { 'x-correlation-id': 'a\u2028"forged": true', 'x-request-id': 'x'.repeat(500) },
    });
    const made = String(unsafe.headers['x-correlation-id']);
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
    const { jobId } = unsafe.json() as { jobId: string };
    await eventually(() => expect(handled.find((entry) => entry.jobId === jobId)?.correlationId).toBe(made));

    const none = await app.inject({ method: 'POST', url: '/scans' });
    expect(String(none.headers['x-correlation-id'])).toMatch(/^[0-9a-f-]{36}$/);
    expect(none.headers['x-correlation-id']).not.toBe(made);
  });

  it("correlates an event that carries the id in its payload only (a script's publish)", async () => {
    const jobId = randomUUID();
    await nats.ctx.js.publish(
      nats.ctx.subject('registry.scan.requested'),
      JSON.stringify({ jobId, requestedAt: new Date().toISOString(), correlationId: 'from-a-script' }),
    );
    await eventually(() => expect(handled.find((entry) => entry.jobId === jobId)?.correlationId).toBe('from-a-script'));
    expect(linesOf(workerLogs, jobId).map((line) => line.correlationId)).toEqual(['from-a-script', 'from-a-script']);
  });

  it('names the id once per line, and not at all in work started outside any correlation', async () => {
    const logs = captureLogs('lines');
    const child = logs.logger.child({ correlationId: 'bound' });
    await withCorrelationId('ambient', async () => {
      child.info('bound child');
      logs.logger.info('plain logger');
      await new Promise<void>((resolve) =>
        withoutCorrelationId(() => setTimeout(() => resolve(logs.logger.info('shared timer')), 1)),
      );
    });
    const text = logs.text();
    expect(text.match(/"correlationId"/g)).toHaveLength(2);
    const lines = logs.lines();
    expect(lines.map((line) => [line.msg, line.correlationId])).toEqual([
      ['bound child', 'bound'],
      ['plain logger', 'ambient'],
      ['shared timer', undefined],
    ]);
  });
});
