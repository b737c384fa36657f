import { EXIT } from './errors.js';
import type { GatewayClient, Job } from './gateway-client.js';
import type { Output } from './output.js';

/** Starts a job, follows it with a progress bar, prints the outcome; the exit code says how it ended. */
export async function runJob(
  client: GatewayClient,
  out: Output,
  start: { path: string; body?: unknown },
  options: { wait: boolean },
): Promise<number> {
  const started = await client.json<{ jobId: string; job: Job }>(start.path, {
    method: 'POST',
    body: start.body ?? {},
  });
  out.info(`job ${started.jobId} (${started.job.kind}) started`);
  if (!options.wait) {
    out.result(started.job, started.jobId);
    return EXIT.ok;
  }
  let last: Job = started.job;
  for await (const job of client.follow(started.jobId)) {
    last = job;
    out.progress(job);
  }
  out.endProgress();
  const errors = last.errors.map((e) => `  ${e.item}: ${e.code} ${e.message}`).join('\n');
  const summary = `${last.kind} ${last.status}: ${last.progress.done}/${last.progress.total}${
    last.result ? ` ${JSON.stringify(last.result)}` : ''
  }${errors ? `\n${last.errors.length} error(s):\n${errors}` : ''}`;
  out.result(last, summary);
  // A partial job finished with failed items: a script must not take it for a clean run.
  return last.status === 'succeeded' ? EXIT.ok : EXIT.jobFailed;
}
