import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authLoginRpc } from '@pharma/shared/contracts';
import { requestRpc } from '@pharma/shared/messaging';
import { type RunningSimulator, type SiteVariant, startSimulator } from '@pharma/sobrus-sim';
import {
  type CapturedLogs,
  captureLogs,
  chromiumBrowsersOf,
  createTestDatabase,
  createTestNats,
  type TestDatabase,
  type TestNats,
  testChromiumPath,
} from '@pharma/testkit';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';

const account = (n: number) => ({
  email: `pharmacie${String(n).padStart(2, '0')}@sim.test`,
  password: `sim-pass-${String(n).padStart(2, '0')}`,
});
/** Far above any login: the client must never be the one giving up in these tests. */
const CLIENT_TIMEOUT_MS = 180_000;

interface Stack {
  sim: RunningSimulator;
  db: TestDatabase;
  nats: TestNats;
  app: FastifyInstance;
  logs: CapturedLogs;
  close(): Promise<void>;
}

async function startStack(env: Record<string, string>, site: SiteVariant = 'classic'): Promise<Stack> {
  const chromiumPath = testChromiumPath();
  const [db, nats, sim, dataDir] = await Promise.all([
    createTestDatabase(),
    createTestNats(),
    startSimulator({ seed: 'auth-login-queue', customers: 3, site }),
    mkdtemp(join(tmpdir(), 'auth-')),
  ]);
  const logs = captureLogs('auth');
  const app = await buildApp(
    loadConfig({
      DATABASE_URL: db.url,
      NATS_URL: nats.url,
      NATS_PREFIX: nats.prefix,
      AUTH_DATA_DIR: dataDir,
      SOBRUS_APP_URL: sim.appUrl,
      CHROMIUM_PATH: chromiumPath,
      ...env,
    }),
    logs.logger,
  );
  await app.ready();
  return {
    sim,
    db,
    nats,
    app,
    logs,
    async close() {
      await app.close();
      await sim.close();
      await nats.cleanup();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const login = (stack: Stack, n: number, password = account(n).password) =>
  requestRpc(
    stack.nats.ctx,
    authLoginRpc,
    { email: account(n).email, password, kind: 'pharmacy' },
    { timeoutMs: CLIENT_TIMEOUT_MS },
  );

async function metric(app: FastifyInstance, name: string): Promise<number> {
  const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  const line = text.split('\n').find((row) => row.startsWith(`${name} `));
  if (line === undefined) throw new Error(`metric ${name} not exposed`);
  return Number(line.slice(name.length + 1));
}

describe('twelve pharmacies logging in at once through three browser slots', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ AUTH_BROWSER_LOGIN_CONCURRENCY: '3', LOG_LEVEL: 'debug' });
  });
  afterAll(async () => stack?.close());

  it('logs every one in, never more than three browser contexts at once, in arrival order', async () => {
    const numbers = Array.from({ length: 12 }, (_, i) => i + 1);
    // Sent in this order on one connection: auth receives and queues them in this order.
    const sessions = await Promise.all(numbers.map((n) => login(stack, n)));
    expect(sessions.map((session) => session.principal.pharmacyId)).toEqual(numbers.map((n) => account(n).email));

    const peak = await metric(stack.app, 'pharma_auth_browser_contexts_peak');
    expect(peak).toBeLessThanOrEqual(3);
    expect(peak).toBeGreaterThan(1);
    expect(await metric(stack.app, 'pharma_auth_browser_contexts_open')).toBe(0);
    expect(await metric(stack.app, 'pharma_auth_browser_logins_active')).toBe(0);
    expect(await metric(stack.app, 'pharma_auth_browser_logins_queued')).toBe(0);
    expect(await metric(stack.app, 'pharma_auth_browser_login_wait_seconds_count')).toBe(12);
    expect(await metric(stack.app, 'pharma_auth_browser_logins_busy_total')).toBe(0);

    const granted = stack.logs
      .lines()
      .filter((line) => line.msg === 'browser login slot granted')
      .map((line) => line.who);
    expect(granted).toEqual(numbers.map((n) => account(n).email));
    // The last ones waited for a slot; the first three did not.
    const waited = stack.logs
      .lines()
      .filter((line) => line.msg === 'browser login slot granted')
      .map((line) => Number(line.waitedMs));
    expect(waited.slice(0, 3).every((ms) => ms === 0)).toBe(true);
    expect(waited.slice(3).every((ms) => ms > 0)).toBe(true);
  });
});

describe('one browser slot and a short wait', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      AUTH_BROWSER_LOGIN_CONCURRENCY: '1',
      AUTH_BROWSER_LOGIN_MAX_WAIT_MS: '500',
      SOBRUS_LOGIN_TIMEOUT_MS: '8000',
    });
  });
  afterAll(async () => stack?.close());

  it('refuses a login that waited past its limit as busy, while the one in the browser completes', async () => {
    // Each sign-in page takes 1.5 s: the first login holds the only slot well past the second one's 0.5 s wait.
    stack.sim.faults.set({ latencyMs: { accounts: 1_500 } });
    try {
      const [first, second] = await Promise.allSettled([login(stack, 1), login(stack, 2)]);
      expect(first.status).toBe('fulfilled');
      expect(second.status === 'rejected' && second.reason).toMatchObject({
        code: 'SOBRUS_LOGIN_BUSY',
        statusCode: 503,
        message: 'Sobrus login is busy, try again',
      });
    } finally {
      stack.sim.faults.set({});
    }
    expect(await metric(stack.app, 'pharma_auth_browser_logins_busy_total')).toBe(1);
    // Once the slot is free the same pharmacy logs in.
    await expect(login(stack, 2)).resolves.toMatchObject({ principal: { pharmacyId: account(2).email } });
  });

  it('frees the slot and closes the context of a refused login and of a timed-out one', async () => {
    await expect(login(stack, 3, 'not-the-password')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    stack.sim.faults.set({ latencyMs: { accounts: 60_000 } });
    try {
      await expect(login(stack, 4)).rejects.toMatchObject({
        code: 'SOBRUS_UNAVAILABLE',
        message: 'Sobrus login did not complete (TimeoutError)',
      });
    } finally {
      stack.sim.faults.set({});
    }
    expect(await metric(stack.app, 'pharma_auth_browser_contexts_open')).toBe(0);
    expect(await metric(stack.app, 'pharma_auth_browser_logins_active')).toBe(0);
    // With one slot, this login only runs if both failures gave theirs back.
    await expect(login(stack, 5)).resolves.toMatchObject({ principal: { pharmacyId: account(5).email } });
  });

  it('launches Chromium again after it crashed', async () => {
    const before = await chromiumBrowsersOf();
    expect(before).toHaveLength(1);
    process.kill(before[0]!, 'SIGKILL');
    await expect(login(stack, 6)).resolves.toMatchObject({ principal: { pharmacyId: account(6).email } });
    const after = await chromiumBrowsersOf();
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before[0]);
    expect(await metric(stack.app, 'pharma_auth_browser_contexts_open')).toBe(0);
  });
});

// In this file rather than its own: two files driving Chromium side by side slow each other's logins enough
// to break the queue's timing above on a two-core machine.
describe.each(['search-post', 'offset-rest'] as const)(
  'a site that hops through pages after the password (%s)',
  (site) => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack({ AUTH_BROWSER_LOGIN_CONCURRENCY: '1' }, site);
    });
    afterAll(async () => stack?.close());

    it('waits for the app to show the session, and still tells a refused password', async () => {
      await expect(login(stack, 7)).resolves.toMatchObject({ principal: { pharmacyId: account(7).email } });
      await expect(login(stack, 8, 'not-the-password')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    });
  },
);
