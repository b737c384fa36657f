// Records what the list learner observes on each simulated site shape, as unit-test fixtures for the pure
// learning (src/domain/learning/fixtures/<site>.json). Run after a change to the simulator's shapes:
//   node --import tsx services/scraper/test/record-observations.ts && npx biome format --write services/scraper/src/domain/learning/fixtures
import { mkdir, writeFile } from 'node:fs/promises';
import { BrowserHolder, CHROMIUM_ARGS } from '@pharma/browser';
import { DEMO_ACCOUNT, SITE_VARIANTS, startSimulator } from '@pharma/sobrus-sim';
import { chromium } from 'playwright-core';
import { visitList } from '../src/sobrus/list-learner.js';
import type { Cookie, SessionSource } from '../src/sobrus/session-provider.js';

const folder = new URL('../src/domain/learning/fixtures/', import.meta.url);
await mkdir(folder, { recursive: true });
const browsers = new BrowserHolder(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium');
try {
  for (const site of SITE_VARIANTS) {
    const sim = await startSimulator({ site, seed: 'fixtures', customers: 61, today: '2026-06-30' });
    try {
      const cookies = await signIn(sim.appUrl);
      const sessions: SessionSource = {
        pharmacyId: DEMO_ACCOUNT.email,
        current: async () => ({ cookies, version: 1 }),
        renew: async () => {
          throw new Error('the session should last the whole visit');
        },
        confirm: () => {},
        renewalCount: 0,
      };
      const visit = await visitList(browsers, sessions, {
        appUrl: sim.appUrl,
        timeoutMs: 20_000,
        retries: 2,
        backoffBaseMs: 50,
        backoffMaxMs: 200,
      });
      // Origins change from run to run: the fixtures keep paths only.
      const text = JSON.stringify(visit.observation ?? null, null, 2)
        .replaceAll(sim.appUrl, 'https://app.example')
        .replaceAll(sim.apiUrl, 'https://api.example');
      await writeFile(new URL(`${site}.json`, folder), `${text}\n`);
      console.log(site, visit.observation ? `${visit.observation.exchanges.length} answers` : visit.problem);
    } finally {
      await sim.close();
    }
  }
} finally {
  await browsers.close();
}

async function signIn(appUrl: string): Promise<Cookie[]> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`${appUrl}/`);
    await page.click(`button[data-testid="s'identifier"]`);
    await page.fill("input[name='login']", DEMO_ACCOUNT.email);
    await page.click('button.btn-signup');
    await page.fill("input[name='password']", DEMO_ACCOUNT.password);
    await page.click('button.btn-signup');
    await page.waitForURL((url) => url.origin === new URL(appUrl).origin && url.pathname === '/');
    await page.waitForLoadState('networkidle');
    return (await page.context().cookies()) as Cookie[];
  } finally {
    await browser.close();
  }
}
