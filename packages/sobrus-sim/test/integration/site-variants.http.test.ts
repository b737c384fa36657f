import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, SITE_VARIANTS, type SiteVariant, startSimulator } from '../../src/index.js';
import { DEMO, httpLogin, TEST_TODAY } from '../helpers.js';

const EMPTY = { email: 'pharmacie20@sim.test', password: 'sim-pass-20' };
const sims = {} as Record<SiteVariant, RunningSimulator>;

beforeAll(async () => {
  await Promise.all(
    SITE_VARIANTS.map(async (site) => {
      sims[site] = await startSimulator({ seed: 'variants-http', customers: 61, today: TEST_TODAY, site });
    }),
  );
});
afterEach(() => {
  for (const sim of Object.values(sims)) sim.faults.clear();
});
afterAll(async () => {
  await Promise.all(Object.values(sims).map((sim) => sim.close()));
});

/** The site's simulator, and the demo account's session cookie on it. */
async function demoSession(site: SiteVariant) {
  const sim = sims[site];
  return { sim, cookie: await httpLogin(sim, DEMO.email, DEMO.password) };
}

const truthIds = (sim: RunningSimulator, account = DEMO.email) =>
  sim.truth.customers(account).map((customer) => customer.clientKey);
const sorted = (ids: string[]) => [...ids].sort();

function search(sim: RunningSimulator, cookie: string | undefined, pageIndex: number, perPage = 25, header = true) {
  return fetch(`${sim.appUrl}/bff/v2/patients/search`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(cookie ? { cookie } : {}),
      ...(header ? { 'x-app-client': 'sobrus-web' } : {}),
    },
    body: JSON.stringify({ filters: { q: '' }, paging: { pageIndex, perPage }, sort: 'fullName' }),
  });
}

describe('search-post', () => {
  it('wants the page header, then a session, and answers the patients envelope sorted by name', async () => {
    const { sim, cookie } = await demoSession('search-post');
    const noHeader = await search(sim, cookie, 0, 25, false);
    expect(noHeader.status).toBe(400);
    expect(await noHeader.json()).toMatchObject({ status: 'error' });
    expect((await search(sim, undefined, 0)).status).toBe(401);

    const pages = [];
    for (let index = 0; index < 3; index++) pages.push(await (await search(sim, cookie, index)).json());
    expect(pages[0].status).toBe('ok');
    expect(pages[0].data.meta).toEqual({ totalCount: 61, pageCount: 3, perPage: 25 });
    const first = pages[0].data.results[0];
    expect(Object.keys(first)).toEqual(['customerRef', 'fullName', 'contact', 'insurance', 'createdAt']);
    expect(typeof first.customerRef).toBe('number');
    expect(first.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const results = pages.flatMap((page) => page.data.results);
    const ids = results.map((patient: { customerRef: number }) => String(patient.customerRef));
    expect(sorted(ids)).toEqual(sorted(truthIds(sim)));
    expect(ids).not.toEqual(truthIds(sim));
    const truth = new Map(sim.truth.customers(DEMO.email).map((customer) => [customer.clientKey, customer]));
    for (const patient of results) {
      const customer = truth.get(String(patient.customerRef))!;
      expect(patient.fullName).toBe(customer.name);
      expect(patient.contact).toEqual({ mail: customer.email ?? null, tel: customer.phone ?? null });
      expect(patient.insurance).toEqual({ org: customer.organisme ?? null, number: customer.immatriculation ?? null });
    }
    const names = results.map((patient: { fullName: string }) => patient.fullName);
    expect(names).toEqual([...names].sort(new Intl.Collator('fr', { sensitivity: 'base', numeric: true }).compare));
    // The same page twice is the same page.
    expect(await (await search(sim, cookie, 1)).json()).toEqual(pages[1]);
  });

  it('shows the empty account as one empty page, and obeys the page size fault', async () => {
    const sim = sims['search-post'];
    const empty = await httpLogin(sim, EMPTY.email, EMPTY.password);
    const body = await (await search(sim, empty, 0)).json();
    expect(body.data).toEqual({ results: [], meta: { totalCount: 0, pageCount: 1, perPage: 25 } });
    sim.faults.set({ listPageSize: 7 }, DEMO.email);
    const cookie = await httpLogin(sim, DEMO.email, DEMO.password);
    const page = await (await fetch(`${sim.appUrl}/customers`, { headers: { cookie } })).text();
    expect(page).toContain('const perPage = 7;');
  });
});

describe('offset-rest', () => {
  it('answers cross-origin with credentials on the api origin, rows numbered apart from the customer id', async () => {
    const { sim, cookie } = await demoSession('offset-rest');
    const url = (offset: number) => `${sim.apiUrl}/v1/clients?offset=${offset}&count=50&order=asc`;
    const anonymous = await fetch(url(0), { headers: { origin: sim.appUrl } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('access-control-allow-origin')).toBe(sim.appUrl);

    const preflight = await fetch(url(0), {
      method: 'OPTIONS',
      headers: { origin: sim.appUrl, 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');

    const first = await (await fetch(url(0), { headers: { cookie, origin: sim.appUrl } })).json();
    const second = await (await fetch(url(50), { headers: { cookie } })).json();
    expect(first.paging).toEqual({ offset: 0, count: 50, total: 61 });
    expect(second.rows).toHaveLength(11);
    expect(Object.keys(first.rows[0])).toEqual([
      'id',
      'ref',
      'label',
      'emailAddress',
      'phoneNumber',
      'insurer',
      'insuranceNumber',
    ]);
    const rows = [...first.rows, ...second.rows];
    expect(sorted(rows.map((row) => row.ref))).toEqual(sorted(truthIds(sim)));
    expect(rows.map((row) => row.ref)).not.toEqual(truthIds(sim));
    const numbers = rows.map((row) => row.id);
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 61 }, (_, i) => i + 1));
    expect(numbers).not.toEqual([...numbers].sort((a, b) => a - b));
    expect(await (await fetch(url(0), { headers: { cookie } })).json()).toEqual(first);
    const names = new Map(sim.truth.customers(DEMO.email).map((customer) => [customer.clientKey, customer.name]));
    for (const row of rows) expect(row.label).toBe(names.get(row.ref));
  });

  it('is a fault route', async () => {
    const { sim, cookie } = await demoSession('offset-rest');
    sim.faults.set({ http500Rate: 1 });
    expect((await fetch(`${sim.apiUrl}/v1/clients`, { headers: { cookie } })).status).toBe(500);
  });
});

describe('html-only', () => {
  it('serves page 1 in the HTML and the next pages as <tr> fragments, no JSON', async () => {
    const { sim, cookie } = await demoSession('html-only');
    const page = await (await fetch(`${sim.appUrl}/customers`, { headers: { cookie } })).text();
    const ids = (html: string) => [...html.matchAll(/<tr data-customer="(\d+)">/g)].map((match) => match[1]!);
    expect(ids(page)).toEqual(truthIds(sim).slice(0, 20));
    const fragments = [];
    for (let p = 2; p <= 4; p++) {
      const response = await fetch(`${sim.appUrl}/customers/rows?p=${p}`, { headers: { cookie } });
      expect(response.headers.get('content-type')).toContain('text/html');
      fragments.push(await response.text());
    }
    expect([...ids(page), ...fragments.flatMap(ids)]).toEqual(truthIds(sim));
    expect((await fetch(`${sim.appUrl}/customers/rows?p=2`)).status).toBe(401);
  });
});

describe('split-names', () => {
  it('keeps names in two fields and pages by a cursor until there is none', async () => {
    const { sim, cookie } = await demoSession('split-names');
    expect((await fetch(`${sim.appUrl}/api/v3/directory`)).status).toBe(401);
    const entries: unknown[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const query: string = `size=20${after ? `&after=${after}` : ''}`;
      const body: { count: number; entries: unknown[]; next: string | null } = await (
        await fetch(`${sim.appUrl}/api/v3/directory?${query}`, { headers: { cookie } })
      ).json();
      expect(body.count).toBe(61);
      entries.push(...body.entries);
      after = body.next;
      if (!after) break;
    }
    const read = entries as { key: string; person: { given: string; family: string } }[];
    expect(read.map((entry) => entry.key)).toEqual(truthIds(sim));
    const truth = sim.truth.customers(DEMO.email);
    read.forEach((entry, index) => {
      expect(`${entry.person.given} ${entry.person.family}`.trim()).toBe(truth[index]?.name);
      expect(entry.person.given).not.toBe(truth[index]?.name);
    });
  });
});

describe('every variant', () => {
  it('keeps the classic JSON endpoints to the classic site', async () => {
    for (const site of SITE_VARIANTS) {
      const cookie = await httpLogin(sims[site], DEMO.email, DEMO.password);
      const status = (await fetch(`${sims[site].appUrl}/api/customers`, { headers: { cookie } })).status;
      expect([site, status]).toEqual([site, site === 'classic' ? 200 : 404]);
    }
  });

  it('hops through an authorize page and a code exchange in search-post and offset-rest only', async () => {
    for (const site of SITE_VARIANTS) {
      const sim = sims[site];
      const signIn = await fetch(`${sim.accountsUrl}/signin`, {
        method: 'POST',
        body: new URLSearchParams({ login: DEMO.email, password: DEMO.password }),
        redirect: 'manual',
      });
      const location = new URL(signIn.headers.get('location')!);
      const hop = site === 'search-post' || site === 'offset-rest';
      expect([site, location.origin, location.pathname]).toEqual(
        hop ? [site, sim.accountsUrl, '/oauth/authorize'] : [site, sim.appUrl, '/auth/callback'],
      );
      if (!hop) continue;
      // The ticket of the authorize page is not a code the app accepts.
      const ticket = location.searchParams.get('ticket');
      const misuse = await fetch(`${sim.appUrl}/auth/exchange`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: ticket }),
      });
      expect(misuse.status).toBe(400);
      const callback = await fetch(`${sim.appUrl}/auth/callback?code=nope`, { redirect: 'manual' });
      expect(callback.status).toBe(200);
      expect(callback.headers.getSetCookie()).toEqual([]);
    }
  });
});
