import { startBenchStack } from '../services/scraper/test/bench-stack.js';

// Full customers refresh against the simulator at realistic latency: 300 ms per customers page/API call,
// sign-in host 500 ms per request (two requests: about 1 s per login). The wall time includes the Sobrus
// login through Chromium (its launch included) and the job from request to final state.
const stack = await startBenchStack({ latencyMs: { customers: 300, statement: 300, accounts: 500 } });
try {
  const start = performance.now();
  await stack.login();
  const loginS = (performance.now() - start) / 1000;
  const job = await stack.refreshClients();
  const wallS = (performance.now() - start) / 1000;
  if (job.status !== 'succeeded' || job.result?.customers !== 259) {
    throw new Error(`refresh ended ${job.status}: ${JSON.stringify(job.result)} ${JSON.stringify(job.errors)}`);
  }
  console.error(
    `login ${loginS.toFixed(2)} s, refresh ${(wallS - loginS).toFixed(2)} s, ${JSON.stringify(job.result)}`,
  );
  console.log(
    JSON.stringify({
      wall_s: Number(wallS.toFixed(3)),
      login_s: Number(loginS.toFixed(3)),
      customers: job.result?.customers,
      path: job.result?.path,
    }),
  );
} finally {
  await stack.close();
}
