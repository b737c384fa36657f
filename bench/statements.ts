import { startBenchStack } from '../services/scraper/test/bench-stack.js';

// All 259 statements, 2017-01-01 → yesterday, with 500 ms simulator latency per PDF and the scraper's default
// concurrency. The pharmacy is logged in before the clock starts; the job includes listing the customers.
const stack = await startBenchStack({ latencyMs: { statement: 500, customers: 300 } });
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
try {
  await stack.login();
  const start = performance.now();
  const job = await stack.refreshStatements('2017-01-01', yesterday);
  const wallS = (performance.now() - start) / 1000;
  if (job.status !== 'succeeded' || job.result?.downloaded !== 259) {
    throw new Error(`refresh ended ${job.status}: ${JSON.stringify(job.result)} ${JSON.stringify(job.errors)}`);
  }
  console.error(JSON.stringify(job.result));
  console.log(
    JSON.stringify({
      wall_s: Number(wallS.toFixed(3)),
      statements_per_s: Number((259 / wallS).toFixed(2)),
      statements: 259,
      bytes: job.result?.bytes,
      concurrency: 8,
    }),
  );
} finally {
  await stack.close();
}
