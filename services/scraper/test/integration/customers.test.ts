import { authLoginRpc, authSobrusSessionRpc, authVerifyRpc } from '@pharma/shared/contracts';
import { RpcRemoteError, requestRpc } from '@pharma/shared/messaging';
import { DEMO_ACCOUNT } from '@pharma/sobrus-sim';
import { collectEvents, type EventCollector, eventually } from '@pharma/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectTheTruth, filesText, refreshCustomers, type Stack, startStack } from '../helpers.js';

describe('customers refresh against the simulator (API path)', () => {
  let stack: Stack;
  let extracted: EventCollector<'sobrus.clients.extracted'>;
  const email = DEMO_ACCOUNT.email;
  const password = DEMO_ACCOUNT.password;

  beforeAll(async () => {
    stack = await startStack({ authEnv: { AUTH_LOGIN_MAX_FAILURES_PER_ACCOUNT: '3' } });
    extracted = await collectEvents(stack.nats.ctx, 'sobrus.clients.extracted');
  });
  afterAll(async () => {
    await extracted?.stop();
    await stack?.close();
  });

  it('logs a pharmacy in with its Sobrus credentials and verifies the platform token', async () => {
    const session = await requestRpc(
      stack.nats.ctx,
      authLoginRpc,
      { email, password, clientIp: '10.0.0.1' },
      { timeoutMs: 30_000 },
    );
    expect(session.principal).toMatchObject({ kind: 'pharmacy', role: 'pharmacy', pharmacyId: email, owner: email });
    const verified = await requestRpc(stack.nats.ctx, authVerifyRpc, { token: session.token });
    expect(verified.principal.pharmacyId).toBe(email);
  });

  it('collects all customers with keys equal to the ground truth, each once', async () => {
    const job = await refreshCustomers(stack, email);
    expect(job.status).toBe('succeeded');
    expect(job.result).toMatchObject({ customers: 259, siteTotal: 259, path: 'api' });
    const event = await eventually(() => {
      const found = extracted.received.find((e) => e.jobId === job.id);
      if (!found) throw new Error(`no sobrus.clients.extracted for job ${job.id}`);
      return found;
    });
    expect(event.customers).toHaveLength(259);
    expectTheTruth(event.customers, stack.sim.truth.customers(email));
  });

  it('refuses a wrong password, then rate-limits the account', async () => {
    const attempt = () =>
      requestRpc(
        stack.nats.ctx,
        authLoginRpc,
        { email, password: 'wrong-password', clientIp: '10.0.0.2' },
        { timeoutMs: 30_000 },
      );
    for (let i = 0; i < 3; i++) await expect(attempt()).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    await expect(attempt()).rejects.toMatchObject({ code: 'LOGIN_RATE_LIMITED', statusCode: 429 });
  });

  it('keeps passwords and cookies out of the logs, the data folder and the database', async () => {
    const session = await requestRpc(stack.nats.ctx, authSobrusSessionRpc, { pharmacyId: email });
    const cookieValues = session.cookies.map((c) => c.value).filter((v) => v.length >= 8);
    expect(cookieValues.length).toBeGreaterThan(0);
    const client = new pg.Client({ connectionString: stack.db.url });
    await client.connect();
    let rows = '';
    try {
      for (const table of ['sessions', 'sobrus_sessions', 'staff_accounts', 'api_tokens']) {
        rows += JSON.stringify((await client.query(`SELECT * FROM auth.${table}`)).rows);
      }
    } finally {
      await client.end();
    }
    expect(rows).toContain(email);
    const haystacks = { logs: stack.logs.text(), files: await filesText(stack.authDataDir), rows };
    expect(haystacks.logs.length).toBeGreaterThan(1000);
    for (const [where, text] of Object.entries(haystacks)) {
      expect(text.includes(password), `password in ${where}`).toBe(false);
      for (const value of cookieValues) expect(text.includes(value), `cookie in ${where}`).toBe(false);
    }
  });

  it('answers SOBRUS_RELOGIN_REQUIRED after a restart once the Sobrus session must be renewed', async () => {
    await stack.auth.close();
    const { buildApp } = await import('@pharma/auth/dist/app.js');
    const { loadConfig } = await import('@pharma/auth/dist/config.js');
    stack.auth = await buildApp(loadConfig(stack.authEnv), stack.logs.logger);
    await stack.auth.ready();
    const reply = requestRpc(stack.nats.ctx, authSobrusSessionRpc, { pharmacyId: email, forceRefresh: true });
    await expect(reply).rejects.toBeInstanceOf(RpcRemoteError);
    await expect(reply).rejects.toMatchObject({ code: 'SOBRUS_RELOGIN_REQUIRED', statusCode: 401 });
  });
});
