import { ConflictError, UnavailableError } from '@pharma/shared/errors';
import {
  defineRpc,
  RpcNoRespondersError,
  RpcRemoteError,
  RpcTimeoutError,
  requestRpc,
  serveRpc,
} from '@pharma/shared/messaging';
import { captureLogs, createTestNats, type TestNats } from '@pharma/testkit';
import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const double = defineRpc({
  subject: 'rpc.test.double',
  request: Type.Object({ n: Type.Integer() }),
  response: Type.Object({ doubled: Type.Integer() }),
  description: 'doubles a number',
});

describe('request/reply against a real NATS server', () => {
  let nats: TestNats;
  const logs = captureLogs();

  beforeAll(async () => {
    nats = await createTestNats();
    serveRpc(nats.ctx, double, {
      logger: logs.logger,
      handler: async ({ n }) => {
        if (n === 13) throw new ConflictError('13 is unlucky', 'UNLUCKY');
        if (n === 99) throw new Error('database password is hunter2');
        if (n === 98) throw new UnavailableError('BUSY', 'busy, try again');
        if (n === 7) await new Promise((resolve) => setTimeout(resolve, 500));
        return { doubled: n * 2 };
      },
    });
  });
  afterAll(async () => nats.cleanup());

  it('answers with the typed response', async () => {
    expect(await requestRpc(nats.ctx, double, { n: 21 })).toEqual({ doubled: 42 });
  });

  it('carries an expected error back with its code and status', async () => {
    const error = await requestRpc(nats.ctx, double, { n: 13 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcRemoteError);
    expect(error).toMatchObject({ code: 'UNLUCKY', statusCode: 409, message: '13 is unlucky' });
  });

  it('hides the details of an unexpected error and logs them', async () => {
    const error = await requestRpc(nats.ctx, double, { n: 99 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INTERNAL', statusCode: 500, message: 'Internal error' });
    expect(logs.text()).toContain('rpc handler failed');
  });

  it('carries a 5xx message the remote service chose to show', async () => {
    const error = await requestRpc(nats.ctx, double, { n: 98 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BUSY', statusCode: 503, message: 'busy, try again', expose: true });
  });

  it('rejects an invalid request on the server side with the field named', async () => {
    const raw = await nats.ctx.nc.request(nats.ctx.subject(double.subject), JSON.stringify({ n: 'x' }));
    expect(raw.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', statusCode: 400 } });
    expect(JSON.stringify(raw.json())).toContain('/n');
  });

  it('fails with a timeout error instead of hanging', async () => {
    await expect(requestRpc(nats.ctx, double, { n: 7 }, { timeoutMs: 100 })).rejects.toBeInstanceOf(RpcTimeoutError);
  });

  it('says nobody answers when the service is down', async () => {
    const nobody = defineRpc({ ...double, subject: 'rpc.test.nobody' });
    await expect(requestRpc(nats.ctx, nobody, { n: 1 })).rejects.toBeInstanceOf(RpcNoRespondersError);
  });
});
