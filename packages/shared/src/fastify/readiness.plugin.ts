import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { toError } from '../errors/index.js';

export type CheckResult = { ok: boolean; message?: string };
export type ReadinessCheck = () => Promise<CheckResult | undefined> | CheckResult | undefined;

export interface ReadinessChecks {
  add(name: string, check: ReadinessCheck): void;
  /** Runs every check (each bounded by a timeout); a thrown error counts as not ready. */
  run(timeoutMs?: number): Promise<{ ready: boolean; checks: Record<string, CheckResult> }>;
}

function createReadinessChecks(): ReadinessChecks {
  const checks = new Map<string, ReadinessCheck>();
  return {
    add: (name, check) => void checks.set(name, check),
    async run(timeoutMs = 2_000) {
      const entries = await Promise.all(
        [...checks].map(async ([name, check]) => [name, await runOne(check, timeoutMs)] as const),
      );
      return { ready: entries.every(([, r]) => r.ok), checks: Object.fromEntries(entries) };
    },
  };
}

async function runOne(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<CheckResult>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, message: `no answer within ${timeoutMs} ms` }), timeoutMs);
    });
    return (await Promise.race([Promise.resolve(check()), timeout])) ?? { ok: true };
  } catch (error) {
    return { ok: false, message: toError(error).message };
  } finally {
    clearTimeout(timer);
  }
}

const HealthResponse = {
  type: 'object',
  properties: { status: { type: 'string' }, service: { type: 'string' }, version: { type: 'string' } },
} as const;

const ReadyResponse = {
  type: 'object',
  properties: {
    status: { type: 'string' },
    checks: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        properties: { ok: { type: 'boolean' }, message: { type: 'string' } },
      },
    },
  },
} as const;

/** /healthz: the process answers. /readyz: its dependencies (NATS, databases, S3) answer too. */
export const readinessPlugin = fp(
  async (app: FastifyInstance) => {
    app.decorate('readiness', createReadinessChecks());
    app.get('/healthz', { logLevel: 'warn', schema: { hide: true, response: { 200: HealthResponse } } }, async () => ({
      status: 'ok',
      service: app.service.name,
      version: app.service.version,
    }));
    app.get(
      '/readyz',
      { logLevel: 'warn', schema: { hide: true, response: { 200: ReadyResponse, 503: ReadyResponse } } },
      async (_request, reply) => {
        const { ready, checks } = await app.readiness.run();
        return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
      },
    );
  },
  { name: 'readiness' },
);
