import { rmSync } from 'node:fs';
import { authSobrusSessionRpc } from '@pharma/shared/contracts';
import { JobStore, requestRpc } from '@pharma/shared/messaging';
import { DEMO_ACCOUNT, type RunningSimulator, SITE_VARIANTS, startSimulator } from '@pharma/sobrus-sim';
import {
  captureLogs,
  createTestBucket,
  createTestDatabase,
  createTestNats,
  eventually,
  type TestBucket,
  type TestDatabase,
  type TestNats,
} from '@pharma/testkit';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthService } from '../../../../packages/web/test/e2e/auth-service.js';
import { buildApp as buildScraper } from '../../../scraper/src/app.js';
import { loadConfig as loadScraperConfig } from '../../../scraper/src/config.js';
import { startStorageSync, tempDir } from '../../../storage-sync/test/helpers.js';
import { startGateway } from '../helpers.js';

const CUSTOMERS = 90;
const PAGE = 40;
const PHARMACY = { email: DEMO_ACCOUNT.email, password: DEMO_ACCOUNT.password };
const OPS = { email: 'ops@pharma.test', password: 'ops-secret-42', role: 'ops' as const };
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface ListedCustomer {
  clientKey: string;
  name: string;
  email: string | null;
  phone: string | null;
}

// The acceptance of the learned customer list, seen from the API a pharmacy uses: on every site shape the
// simulator serves, with faults on (1 list call in 10 answered 500, 1 connection in 20 dropped, sessions dying
// after 40 requests), the real auth, scraper, storage and gateway give every customer once, equal to the truth.
describe.each(SITE_VARIANTS)('gateway: customers of the %s site through the real services, faults on', (site) => {
  // The site without JSON and the one whose JSON keeps names in two fields cannot be learned: clicked through.
  const learnable = site !== 'html-only' && site !== 'split-names';
  let nats: TestNats;
  let authDb: TestDatabase;
  let bucket: TestBucket;
  let sim: RunningSimulator;
  let auth: { close(): Promise<void> } | undefined;
  let gateway: FastifyInstance;
  const apps: FastifyInstance[] = [];
  const storageDir = tempDir('gateway-variants-');
  const logs = captureLogs('gateway-variants');
  const headers: Record<'pharmacy' | 'ops', Record<string, string>> = { pharmacy: {}, ops: {} };

  async function logIn(email: string, password: string): Promise<Record<string, string>> {
    const response = await gateway.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
    expect(response.statusCode, response.body).toBe(200);
    return { authorization: `Bearer ${response.json<{ token: string }>().token}` };
  }

  beforeAll(async () => {
    [nats, authDb, bucket, sim] = await Promise.all([
      createTestNats(),
      createTestDatabase(),
      createTestBucket(),
      startSimulator({
        seed: `gateway-${site}`,
        site,
        customers: CUSTOMERS,
        faults: { http500Rate: 0.1, dropRate: 0.05, sessionMaxRequests: 40 },
      }),
    ]);
    const common = { natsUrl: nats.url, prefix: nats.prefix, logger: logs.logger };
    apps.push(await startStorageSync({ ...common, s3: bucket.s3, bucket: bucket.bucket, dataDir: storageDir }));
    const scraper = await buildScraper(
      loadScraperConfig({
        NATS_URL: nats.url,
        NATS_PREFIX: nats.prefix,
        SOBRUS_APP_URL: sim.appUrl,
        SOBRUS_API_URL: sim.apiUrl,
        SCRAPER_BACKOFF_BASE_MS: '20',
        SCRAPER_BACKOFF_MAX_MS: '200',
      }),
      logs.logger,
    );
    await scraper.ready();
    apps.push(scraper);
    auth = await startAuthService({ ...common, databaseUrl: authDb.url, sobrusAppUrl: sim.appUrl, staff: [OPS] });
    gateway = await startGateway(common);
    apps.push(gateway);
    // The auth service checks a pharmacy's password by signing in to Sobrus (the simulator) with a browser.
    headers.pharmacy = await logIn(PHARMACY.email, PHARMACY.password);
    headers.ops = await logIn(OPS.email, OPS.password);
  });

  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
    await auth?.close();
    await sim?.close();
    await nats?.cleanup();
    await authDb?.drop();
    bucket?.client.destroy();
    rmSync(storageDir, { recursive: true, force: true });
  });

  let jobId: string;

  it('refreshes the customers as a job and lists each of them once, equal to the truth', async () => {
    const started = await gateway.inject({ method: 'POST', url: '/api/clients/refresh', headers: headers.pharmacy });
    expect(started.statusCode, started.body).toBe(202);
    jobId = started.json<{ jobId: string }>().jobId;
    const job = await eventually(
      async () => {
        const response = await gateway.inject({ url: `/api/jobs/${jobId}`, headers: headers.pharmacy });
        const current = response.json();
        expect(['succeeded', 'failed', 'cancelled'], `${current.status} ${JSON.stringify(current.progress)}`).toContain(
          current.status,
        );
        return current;
      },
      { timeoutMs: 150_000, intervalMs: 250 },
    );
    expect(job.status, JSON.stringify(job.errors)).toBe('succeeded');
    expect(job.result).toMatchObject(
      learnable
        ? { customers: CUSTOMERS, path: 'api', recipe: 'learned' }
        : { customers: CUSTOMERS, path: 'click', recipe: 'abandoned' },
    );
    expect(job.result.diagnostics !== undefined).toBe(!learnable);

    const truth = sim.truth.customers(PHARMACY.email);
    expect(truth).toHaveLength(CUSTOMERS);
    // Storage takes the extracted list in from its own event: read the pages until the total is there.
    const listed = await eventually(
      async () => {
        const items: ListedCustomer[] = [];
        let total = 0;
        for (let offset = 0; offset === 0 || offset < total; offset += PAGE) {
          const page = await gateway.inject({
            url: `/api/clients?offset=${offset}&limit=${PAGE}`,
            headers: headers.pharmacy,
          });
          expect(page.statusCode, page.body).toBe(200);
          const body = page.json<{ total: number; offset: number; items: ListedCustomer[] }>();
          expect(body.offset).toBe(offset);
          total = body.total;
          items.push(...body.items);
        }
        expect(total).toBe(truth.length);
        return items;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(listed).toHaveLength(truth.length);
    expect(new Set(listed.map((c) => c.clientKey)).size).toBe(truth.length);
    const byKey = new Map(listed.map((c) => [c.clientKey, c]));
    for (const expected of truth) {
      expect(byKey.get(expected.clientKey), expected.clientKey).toMatchObject({
        clientKey: expected.clientKey,
        name: expected.name,
        email: expected.email ?? null,
        phone: expected.phone ?? null,
      });
    }
    // Homonyms are kept as two customers, not merged by name.
    const names = truth.map((c) => c.name);
    expect(listed.map((c) => c.name).sort()).toEqual(names.sort());
  });

  if (learnable) {
    it('has no diagnostic bundle for a list collected over the API', async () => {
      const response = await gateway.inject({ url: `/api/jobs/${jobId}/diagnostics`, headers: headers.ops });
      expect(response.statusCode, response.body).toBe(404);
      expect(response.json().code).toBe('NOT_FOUND');
    });
    return;
  }

  it('serves staff the masked diagnostic bundle of the click-through, with no customer data nor cookie', async () => {
    const response = await gateway.inject({ url: `/api/jobs/${jobId}/diagnostics`, headers: headers.ops });
    expect(response.statusCode, response.body.slice(0, 500)).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const bundle = response.json();
    expect(bundle).toMatchObject({ kind: 'customers-list', jobId, site: new URL(sim.appUrl).origin, path: 'click' });
    expect(typeof bundle.failedStep).toBe('string');
    expect(Array.isArray(bundle.reasons)).toBe(true);
    expect(Array.isArray(bundle.exchanges)).toBe(true);
    const before = Buffer.from(String(bundle.screenshots?.before ?? ''), 'base64');
    expect(before.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    if (site === 'split-names') {
      // The site's JSON is in the bundle with its structure and field names, every value masked.
      expect(bundle.failedStep).toBe('list');
      const answer = bundle.exchanges.find((e: { json: { entries?: unknown[] } }) => Array.isArray(e.json?.entries));
      expect(answer?.request.url).toContain('/api/v3/directory?size=');
      expect(Object.keys(answer?.json ?? {}).sort()).toEqual(['count', 'entries', 'next']);
      expect(answer.json.count).toBe(sim.truth.customers(PHARMACY.email).length);
      const entry = answer.json.entries[0];
      expect(Object.keys(entry).sort()).toEqual(['insuranceNo', 'insurer', 'key', 'mail', 'person', 'phone']);
      expect(Object.keys(entry.person).sort()).toEqual(['family', 'given']);
      expect(entry.person.given).toMatch(/^[Xx]+$/);
      expect(entry.key).toMatch(/^9+$/);
    }

    const body = response.body;
    for (const customer of sim.truth.customers(PHARMACY.email)) {
      if (customer.name.length >= 6) expect(body.includes(customer.name), `name ${customer.clientKey}`).toBe(false);
      if (customer.email) expect(body.includes(customer.email), `e-mail ${customer.clientKey}`).toBe(false);
      if (customer.phone) expect(body.includes(customer.phone), `phone ${customer.clientKey}`).toBe(false);
    }
    const session = await requestRpc(nats.ctx, authSobrusSessionRpc, { pharmacyId: PHARMACY.email });
    const cookieValues = session.cookies.map((c) => c.value).filter((value) => value.length >= 8);
    expect(cookieValues.length).toBeGreaterThan(0);
    for (const value of cookieValues) expect(body.includes(value), 'a Sobrus cookie value').toBe(false);
  });

  it('refuses the bundle to the pharmacy itself, and answers 404 for a job without one', async () => {
    const pharmacy = await gateway.inject({ url: `/api/jobs/${jobId}/diagnostics`, headers: headers.pharmacy });
    expect(pharmacy.statusCode).toBe(403);
    const anonymous = await gateway.inject({ url: `/api/jobs/${jobId}/diagnostics` });
    expect(anonymous.statusCode).toBe(401);
    const jobs = await JobStore.open(nats.ctx);
    const plain = await jobs.create({ id: `plain-${jobId}`, kind: 'clients.refresh', owner: PHARMACY.email });
    await jobs.update(plain.id, () => ({ status: 'succeeded', result: { customers: 3, path: 'api', recipe: 'none' } }));
    const without = await gateway.inject({ url: `/api/jobs/${plain.id}/diagnostics`, headers: headers.ops });
    expect(without.statusCode).toBe(404);
    const unknown = await gateway.inject({ url: '/api/jobs/no-such-job/diagnostics', headers: headers.ops });
    expect(unknown.statusCode).toBe(404);
  });
});
