import { SITE_VARIANTS, type SiteVariant } from '@pharma/sobrus-sim';
import { startBenchStack } from '../services/scraper/test/bench-stack.js';

// Customers refresh on every simulated site shape: 301 customers, 25 per page, 300 ms per list call (the top
// of the 150–300 ms range), the sign-in host at 500 ms a request (about 1 s per login). Per variant:
// - cold_wall_s: login + refresh with nothing remembered (the list learned in Chromium, then replayed), of which
//   cold_login_s is the login;
// - remembered_wall_s: a second refresh, replaying the recipe kept in NATS KV without a browser;
// - click_wall_s: login + refresh with SCRAPER_LIST_PATH=click, the fallback that needs no API.
// A site whose list cannot be learned (html-only, split-names) has no API figures: its cold refresh clicks.
const CUSTOMERS = 301;
const latency = { latencyMs: { customers: 300, accounts: 500 } };
const round = (seconds: number) => Number(seconds.toFixed(3));

type Stack = Awaited<ReturnType<typeof startBenchStack>>;
type JobResult = Awaited<ReturnType<Stack['refreshClients']>>;

async function timed(site: SiteVariant, run: () => Promise<JobResult>, login?: () => Promise<unknown>) {
  const start = performance.now();
  await login?.();
  const loggedIn = performance.now();
  const job = await run();
  if (job.status !== 'succeeded' || job.result?.customers !== CUSTOMERS) {
    throw new Error(
      `${site}: refresh ended ${job.status}: ${JSON.stringify(job.result)} ${JSON.stringify(job.errors)}`,
    );
  }
  return {
    seconds: (performance.now() - start) / 1000,
    loginSeconds: (loggedIn - start) / 1000,
    path: String(job.result?.path),
    recipe: String(job.result?.recipe),
    steps: job.result?.listTimings,
  };
}

async function withStack<T>(site: SiteVariant, env: Record<string, string>, work: (stack: Stack) => Promise<T>) {
  const stack = await startBenchStack(latency, env, { site, customers: CUSTOMERS, pageSize: 25 });
  // A platform that has been running: the services' start-up (the scraper's warm Chromium) is not the refresh's.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  try {
    return await work(stack);
  } finally {
    await stack.close();
  }
}

const wallS: Record<string, Record<string, number | string>> = {};
for (const site of SITE_VARIANTS) {
  const auto = await withStack(site, {}, async (stack) => {
    const cold = await timed(site, () => stack.refreshClients(), stack.login);
    const remembered = await timed(site, () => stack.refreshClients());
    return { cold, remembered };
  });
  const click = await withStack(site, { SCRAPER_LIST_PATH: 'click' }, (stack) =>
    timed(site, () => stack.refreshClients(), stack.login),
  );
  console.error(
    `${site}: cold ${JSON.stringify(auto.cold)}, again ${JSON.stringify(auto.remembered)}, click ${JSON.stringify(click)}`,
  );
  wallS[site] = {
    ...(auto.cold.path === 'api'
      ? {
          cold_wall_s: round(auto.cold.seconds),
          cold_login_s: round(auto.cold.loginSeconds),
          remembered_wall_s: round(auto.remembered.seconds),
        }
      : { cold_path: auto.cold.path }),
    click_wall_s: round(click.seconds),
  };
}
console.log(
  JSON.stringify({ customers: CUSTOMERS, page_size: 25, list_latency_ms: 300, login_latency_ms: 1000, wall_s: wallS }),
);
