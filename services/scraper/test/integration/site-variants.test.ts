import { openKv } from '@pharma/shared/messaging';
import { DEMO_ACCOUNT, SITE_TRAITS, SITE_VARIANTS } from '@pharma/sobrus-sim';
import { collectEvents, type EventCollector, finishedJob } from '@pharma/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECIPES_BUCKET, recipeKey } from '../../src/sobrus/recipe-store.js';
import {
  expectTheTruth,
  loginDemoPharmacy,
  refreshCustomers as refreshCustomersOf,
  requestStatements,
  type Stack,
  startStack,
} from '../helpers.js';

const CUSTOMERS = 130;
const email = DEMO_ACCOUNT.email;

// Every site shape the simulator serves, with faults on: 1 list/PDF call in 10 answered 500, 1 connection in 20
// dropped, sessions dying after 40 requests. The JSON shapes must be learned and replayed; the others clicked
// through.
describe.each(SITE_VARIANTS)('customers and statements on the %s site, faults on', (site) => {
  // The site without JSON and the one whose JSON keeps names in two fields cannot be learned: clicked through.
  const learnable = site !== 'html-only' && site !== 'split-names';
  let stack: Stack;
  let extracted: EventCollector<'sobrus.clients.extracted'>;
  let ready: EventCollector<'sobrus.statement.pdf.ready'>;

  beforeAll(async () => {
    stack = await startStack({
      site,
      customers: CUSTOMERS,
      faults: { http500Rate: 0.1, dropRate: 0.05, sessionMaxRequests: 40 },
      scraperEnv: { SCRAPER_BACKOFF_BASE_MS: '20', SCRAPER_BACKOFF_MAX_MS: '200' },
    });
    extracted = await collectEvents(stack.nats.ctx, 'sobrus.clients.extracted');
    ready = await collectEvents(stack.nats.ctx, 'sobrus.statement.pdf.ready');
    await loginDemoPharmacy(stack, 60_000);
  });
  afterAll(async () => {
    await extracted?.stop();
    await ready?.stop();
    await stack?.close();
  });

  async function refreshCustomers() {
    const job = await refreshCustomersOf(stack, email, 120_000);
    expect(job.status, JSON.stringify(job.errors)).toBe('succeeded');
    await expect.poll(() => extracted.received.some((event) => event.jobId === job.id)).toBe(true);
    const customers = extracted.received.find((event) => event.jobId === job.id)?.customers ?? [];
    expectTheTruth(customers, stack.sim.truth.customers(email));
    return job;
  }

  it('collects every customer once, equal to the truth, learning the list then replaying what it remembered', async () => {
    const cold = await refreshCustomers();
    expect(cold.result).toMatchObject(
      learnable
        ? { customers: CUSTOMERS, siteTotal: CUSTOMERS, path: 'api', recipe: 'learned' }
        : { customers: CUSTOMERS, path: 'click', recipe: 'abandoned' },
    );
    if (!learnable) {
      expect(cold.errors.map((e) => e.code)).toEqual(['LEARNING_FAILED']);
      return;
    }
    expect(cold.result?.pages).toBe(Math.ceil(CUSTOMERS / SITE_TRAITS[site].pageSize));
    const warm = await refreshCustomers();
    expect(warm.result).toMatchObject({ path: 'api', recipe: 'remembered' });
    expect(warm.errors).toEqual([]);
  }, 240_000);

  // Only a site with a list API has a recipe to go stale.
  const itLearnable = learnable ? it : () => undefined;
  itLearnable(
    'learns again when the remembered recipe no longer fits the site',
    async () => {
      const kv = await openKv(stack.nats.ctx, RECIPES_BUCKET);
      const key = recipeKey(stack.sim.appUrl, email);
      const recipe = (await kv.get(key))?.json<{ listPath: string[] }>();
      expect(recipe?.listPath.length).toBeGreaterThan(0);
      await kv.put(key, JSON.stringify({ ...recipe, listPath: ['no', 'such', 'list'] }));
      const job = await refreshCustomers();
      expect(job.result).toMatchObject({ path: 'api', recipe: 'relearned' });
      expect(job.errors.map((e) => e.code)).toEqual(['RECIPE_STALE']);
      expect((await kv.get(key))?.json<{ listPath: string[] }>().listPath).toEqual(recipe?.listPath);
    },
    240_000,
  );

  it('downloads every customer statement once', async () => {
    const jobId = await requestStatements(stack, { pharmacyId: email, from: '2026-06-01', to: '2026-06-29' });
    const job = await finishedJob(stack.jobs, jobId, { timeoutMs: 180_000 });
    expect(job.status, JSON.stringify(job.errors)).toBe('succeeded');
    expect(job.result).toMatchObject({ customers: CUSTOMERS, downloaded: CUSTOMERS, failed: 0 });
    const mine = () => ready.received.filter((event) => event.jobId === jobId);
    await expect.poll(() => mine().length, { timeout: 20_000 }).toBe(CUSTOMERS);
    const truthKeys = stack.sim.truth.customers(email).map((c) => c.clientKey);
    expect(
      mine()
        .map((event) => event.clientKey)
        .sort(),
    ).toEqual(truthKeys.sort());
  }, 240_000);
});
