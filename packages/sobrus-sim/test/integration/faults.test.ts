import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../src/index.js';
import { DEMO, extractStatement, fetchStatement, httpLogin, TEST_TODAY } from '../helpers.js';

let sim: RunningSimulator;
let customerId: string;
let heavyCustomerId: string;
const WHOLE = { startDate: '2017-01-01', endDate: TEST_TODAY };
const YEAR = { startDate: '2024-01-01', endDate: '2024-12-31' };

beforeAll(async () => {
  sim = await startSimulator({ seed: 'faults-test', today: TEST_TODAY });
  const customers = sim.truth.customers(DEMO.email);
  customerId = customers[0]!.clientKey;
  heavyCustomerId = customers[2]!.clientKey;
});
afterEach(() => sim.faults.clear());
afterAll(async () => {
  await sim?.close();
});

const login = () => httpLogin(sim, DEMO.email, DEMO.password);
const listCustomers = (cookie: string, query = '') =>
  fetch(`${sim.appUrl}/api/customers${query}`, { headers: { cookie } });

async function setFaults(body: unknown, account?: string): Promise<void> {
  const url = `${sim.appUrl}/__sim/faults${account ? `?account=${encodeURIComponent(account)}` : ''}`;
  const response = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

async function elapsed(action: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await action();
  return performance.now() - start;
}

describe('fault injection', () => {
  it('adds latency per route', async () => {
    const cookie = await login();
    await setFaults({ latencyMs: { customers: 400 } });
    expect(await elapsed(() => listCustomers(cookie))).toBeGreaterThanOrEqual(390);
    const response = await listCustomers(cookie);
    expect(response.status).toBe(200);
  });

  it('answers 500 and 502 at the configured rates, counter-based', async () => {
    const cookie = await login();
    await setFaults({ http500Rate: 0.5 });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await listCustomers(cookie)).status);
    expect(statuses).toEqual([200, 500, 200, 500, 200, 500]);

    await setFaults({ http502Rate: 1 });
    const bad = await fetchStatement(sim, cookie, { customerId, ...YEAR });
    expect(bad.status).toBe(502);
    expect(bad.headers.get('content-type')).toContain('text/html');
  });

  it('drops connections', async () => {
    const cookie = await login();
    await setFaults({ dropRate: 1 });
    await expect(fetchStatement(sim, cookie, { customerId, ...YEAR })).rejects.toThrow();
    await setFaults({});
    expect((await fetchStatement(sim, cookie, { customerId, ...YEAR })).status).toBe(200);
  });

  it('expires sessions after N requests', async () => {
    await setFaults({ sessionMaxRequests: 2 });
    const cookie = await login();
    expect((await listCustomers(cookie)).status).toBe(200);
    expect((await fetchStatement(sim, cookie, { customerId, ...YEAR })).status).toBe(200);
    expect((await listCustomers(cookie)).status).toBe(401);
    const page = await fetch(`${sim.appUrl}/customers`, { headers: { cookie }, redirect: 'manual' });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/login');
  });

  it('expires sessions after T seconds', async () => {
    // Generous enough for a loaded machine to sign in and make one request within the lifetime.
    await setFaults({ sessionMaxAgeSeconds: 1.5 });
    const cookie = await login();
    expect((await listCustomers(cookie)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1700));
    expect((await listCustomers(cookie)).status).toBe(401);
  });

  it('slows PDF generation', async () => {
    const cookie = await login();
    await fetchStatement(sim, cookie, { customerId, ...YEAR });
    await setFaults({ pdfDelayMs: 500 });
    expect(await elapsed(() => fetchStatement(sim, cookie, { customerId, ...YEAR }))).toBeGreaterThanOrEqual(490);
  });

  it('serves a corrupt PDF for chosen customers only, still as 200 application/pdf', async () => {
    const cookie = await login();
    const clean = Buffer.from(
      await (await fetchStatement(sim, cookie, { customerId: heavyCustomerId, ...WHOLE })).arrayBuffer(),
    );
    await setFaults({ corruptPdfCustomers: [heavyCustomerId] });
    const response = await fetchStatement(sim, cookie, { customerId: heavyCustomerId, ...WHOLE });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const corrupt = Buffer.from(await response.arrayBuffer());
    expect(corrupt.subarray(0, 5).toString()).toBe('%PDF-');
    expect(corrupt.length).toBeLessThan(clean.length);
    const truth = await sim.truth.statement({ account: DEMO.email, customerId: heavyCustomerId, ...WHOLE });
    const readable = await extractStatement(corrupt).then(
      (printed) => printed.closing === truth.closingBalance && printed.rows.length === truth.transactions.length,
      () => false,
    );
    expect(readable).toBe(false);
    const other = await fetchStatement(sim, cookie, { customerId, ...YEAR });
    expect((await extractStatement(new Uint8Array(await other.arrayBuffer()))).closing).toBeDefined();
  });

  it('prints an inconsistent row for chosen customers and says which in the truth', async () => {
    const cookie = await login();
    await setFaults({ inconsistentCustomers: [heavyCustomerId] });
    const response = await fetchStatement(sim, cookie, { customerId: heavyCustomerId, ...WHOLE });
    const printed = await extractStatement(new Uint8Array(await response.arrayBuffer()));
    const truth = await sim.truth.statement({ account: DEMO.email, customerId: heavyCustomerId, ...WHOLE });
    expect(truth.injectedInconsistencies).toHaveLength(1);
    const reference = truth.injectedInconsistencies[0];
    let previous = printed.opening!;
    const mismatched = printed.rows.filter((row) => {
      const delta = Math.abs(Math.round((row.balance - previous) * 100) / 100);
      previous = row.balance;
      return delta !== 0 && delta !== row.total;
    });
    expect(mismatched.map((row) => row.reference)).toEqual([reference]);
    expect(printed.closing).toBe(truth.closingBalance);
    const tampered = truth.transactions.find((t) => t.reference === reference)!;
    expect(tampered.total).toBe(Math.abs(tampered.effect) + 10);
  });

  it('changes the list page size and the PDF paper size', async () => {
    const cookie = await login();
    await setFaults({ listPageSize: 7, pdfPageSize: 'LEGAL' });
    const list = (await (await listCustomers(cookie)).json()) as { items: unknown[]; pages: number; limit: number };
    expect(list).toMatchObject({ limit: 7, pages: Math.ceil(259 / 7) });
    expect(list.items).toHaveLength(7);
    const html = await (await fetch(`${sim.appUrl}/customers`, { headers: { cookie } })).text();
    expect(html).toContain('const limit = 7;');

    const response = await fetchStatement(sim, cookie, { customerId: heavyCustomerId, ...WHOLE });
    const printed = await extractStatement(new Uint8Array(await response.arrayBuffer()));
    const legal = await sim.truth.statement({ account: DEMO.email, customerId: heavyCustomerId, ...WHOLE });
    const a4 = await sim.truth.statement(
      { account: DEMO.email, customerId: heavyCustomerId, ...WHOLE },
      { pageSize: 'A4' },
    );
    expect(printed.pages).toBe(legal.pages);
    expect(legal.pages).toBeLessThan(a4.pages);
  });

  it('scopes faults to one account, and lists them on the admin API', async () => {
    await setFaults({ http500Rate: 1 }, 'pharmacie01@sim.test');
    const other = await httpLogin(sim, 'pharmacie01@sim.test', 'sim-pass-01');
    expect((await listCustomers(other)).status).toBe(500);
    expect((await listCustomers(await login())).status).toBe(200);
    const snapshot = await (await fetch(`${sim.appUrl}/__sim/faults`)).json();
    expect(snapshot).toEqual({ global: {}, accounts: { 'pharmacie01@sim.test': { http500Rate: 1 } } });
    const rejected = await fetch(`${sim.appUrl}/__sim/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ http500Rate: 7 }),
    });
    expect(rejected.status).toBe(400);
    await fetch(`${sim.appUrl}/__sim/faults`, { method: 'DELETE' });
    expect((await listCustomers(other)).status).toBe(200);
  });

  it('takes global faults from the start options (as main does from SIM_FAULTS)', async () => {
    const faulty = await startSimulator({
      seed: 'faults-test',
      today: TEST_TODAY,
      customers: 3,
      faults: { http502Rate: 1 },
    });
    try {
      const cookie = await httpLogin(faulty, DEMO.email, DEMO.password);
      expect((await fetch(`${faulty.appUrl}/api/customers`, { headers: { cookie } })).status).toBe(502);
    } finally {
      await faulty.close();
    }
  });
});
