import { type BackoffOptions, retry } from '@pharma/shared/retry';
import { CliError, EXIT } from './errors.js';
import { type GatewayClient, isFinal, type Job, jobPath } from './gateway-client.js';
import type { Output } from './output.js';

/** How a dropped progress stream is reconnected: quickly at first, then at most every 5 s, for 2 minutes. */
export const RECONNECT = {
  backoff: { baseMs: 250, maxMs: 5_000, jitter: 'half' } satisfies BackoffOptions,
  budgetMs: 120_000,
};

class StreamDropped extends Error {}
class Interrupted extends Error {}

/** Starts a job and follows it (or prints it at once with `wait: false`); the exit code says how it ended. */
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
  return followJob(client, out, started.job);
}

/**
 * Follows a job over the gateway's event stream until it ends. A stream that drops before the end is opened
 * again with backoff (the gateway sends the job's current state first, so nothing is missed); Ctrl-C cancels
 * the job through the gateway and exits 130. The exit code is decided on the state fetched once the stream has
 * ended, not on the stream's last event.
 */
export async function followJob(client: GatewayClient, out: Output, job: Job): Promise<number> {
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort(new Interrupted());
  process.once('SIGINT', onSigint);
  let last = job;
  try {
    await retry(
      async () => {
        for await (const state of client.follow(job.id, interrupt.signal)) {
          last = state;
          out.progress(state);
        }
        if (!isFinal(last)) throw new StreamDropped(`the progress stream of job ${job.id} ended early`);
      },
      {
        ...RECONNECT,
        signal: interrupt.signal,
        retryable: (error) =>
          error instanceof StreamDropped || (error instanceof CliError && error.exitCode === EXIT.unreachable),
        onRetry: ({ error, retry: attempt, delayMs }) =>
          out.info(`progress stream lost (${error.message}); reconnecting in ${delayMs} ms (attempt ${attempt})`),
      },
    );
  } catch (error) {
    out.endProgress();
    if (!(interrupt.signal.reason instanceof Interrupted)) throw error;
    throw await cancelOnInterrupt(client, job.id);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  out.endProgress();
  return report(out, await client.json<Job>(jobPath(job.id)));
}

/** Ctrl-C while following: the job is cancelled, not left running unwatched. */
async function cancelOnInterrupt(client: GatewayClient, jobId: string): Promise<CliError> {
  const job = await client.json<Job>(jobPath(jobId), { method: 'DELETE' });
  const message =
    job.status === 'cancelled'
      ? `Interrupted: job ${jobId} cancelled`
      : `Interrupted: job ${jobId} asked to stop (${job.status}); it ends as cancelled after the item in progress`;
  return new CliError(message, EXIT.interrupted, { details: { job } });
}

/** Prints a finished job and its per-item errors; only a job that succeeded exits 0. */
export function report(out: Output, job: Job): number {
  const errors = job.errors.map((e) => `  ${e.item}: ${e.code} ${e.message}`).join('\n');
  const summary = `${job.kind} ${job.status}: ${job.progress.done}/${job.progress.total}${
    job.result ? ` ${JSON.stringify(job.result)}` : ''
  }${errors ? `\n${job.errors.length} error(s):\n${errors}` : ''}`;
  out.result(job, summary);
  // A partial job finished with failed items: a script must not take it for a clean run.
  return job.status === 'succeeded' ? EXIT.ok : EXIT.jobFailed;
}
