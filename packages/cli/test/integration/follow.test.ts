import { startOrchestratorRunRpc } from '@pharma/shared/contracts';
import { JobStore, serveRpc } from '@pharma/shared/messaging';
import { captureLogs, eventually } from '@pharma/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPharma, type Stack, startStack } from './stack.js';

// How `pharma` follows a job: jobs show|watch|cancel, Ctrl-C, and a progress stream that drops. The orchestrator
// run's start RPC is answered here (it creates a queued job) so that each test moves the job through its states
// itself; the pharmacy's Ctrl-C test uses a real statements refresh.
describe('pharma CLI following jobs', () => {
  let stack: Stack;
  let jobs: JobStore;
  let orchestrator: { unsubscribe(): void } | undefined;
  let n = 0;

  beforeAll(async () => {
    stack = await startStack({ seed: 'cli-follow' });
    await stack.loginBoth();
    jobs = await JobStore.open(stack.nats.ctx);
    orchestrator = serveRpc(stack.nats.ctx, startOrchestratorRunRpc, {
      logger: captureLogs().logger,
      handler: async ({ requestedBy }) => {
        const job = await jobs.create({ id: `run-${++n}`, kind: 'orchestrator.run', owner: requestedBy ?? 'system' });
        return { jobId: job.id };
      },
    });
  });

  afterAll(async () => {
    orchestrator?.unsubscribe();
    await stack?.close();
  });

  const asStaff = (args: string[]) => stack.pharma(args, { configDir: stack.staffHome });
  const followAsStaff = (args: string[]) => stack.spawnPharma(args, { configDir: stack.staffHome });
  /** The id of the run the next `orchestrator run` starts, once the start RPC has created its job. */
  const nextRun = () => {
    const id = `run-${n + 1}`;
    return () => eventually(async () => expect(await jobs.get(id)).toBeDefined(), { timeoutMs: 20_000 }).then(() => id);
  };
  /** Waits until the CLI has printed a progress line matching `pattern` (so it is following the stream). */
  const printed = (running: RunningPharma, pattern: RegExp) =>
    eventually(async () => expect(running.stderr()).toMatch(pattern), { timeoutMs: 20_000, intervalMs: 50 });

  it('shows, cancels and watches a job by its id', async () => {
    const started = await asStaff(['orchestrator', 'run', '--no-wait', '--json']);
    expect(started.code).toBe(0);
    const { id } = JSON.parse(started.stdout) as { id: string };
    const shown = await asStaff(['jobs', 'show', id, '--json']);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id, kind: 'orchestrator.run', status: 'queued' });
    const cancelled = await asStaff(['jobs', 'cancel', id]);
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toContain(`${id}  orchestrator.run  cancelled`);
    expect((await jobs.get(id))?.status).toBe('cancelled');
    // Watching a job that ended cancelled: its final state, and exit 1 (it did not succeed).
    const watched = await asStaff(['jobs', 'watch', id]);
    expect(watched.code).toBe(1);
    expect(watched.stdout).toContain('orchestrator.run cancelled');
    const listed = await asStaff(['jobs', '--status', 'cancelled', '--json']);
    expect(JSON.parse(listed.stdout).map((job: { id: string }) => job.id)).toContain(id);
    const unknown = await asStaff(['jobs', 'show', 'no-such-job', '--json']);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ code: 'NOT_FOUND', exitCode: 2 });
    expect((await asStaff(['jobs', 'show'])).code).toBe(2);
  });

  it('reconnects when the gateway restarts mid-job and exits on the final state', async () => {
    const created = nextRun();
    const running = followAsStaff(['orchestrator', 'run']);
    const id = await created();
    await printed(running, /\] 0\/0 queued/);
    await jobs.update(id, () => ({ status: 'running', progress: { done: 1, total: 3, stage: 'tasks' } }));
    await printed(running, /1\/3 running tasks/);
    await stack.restartGateway();
    await jobs.update(id, () => ({ progress: { done: 2, total: 3, stage: 'tasks' } }));
    // Seen only through a new stream: the first one ended with the old gateway.
    await printed(running, /2\/3 running tasks/);
    await jobs.update(id, () => ({ status: 'succeeded', progress: { done: 3, total: 3, stage: 'done' } }));
    const run = await running.done;
    expect(run.stderr).toMatch(/progress stream lost .*reconnecting in \d+ ms \(attempt 1\)/);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('orchestrator.run succeeded: 3/3');
  });

  it('reconnects when the connection breaks and decides the exit code on the state fetched at the end', async () => {
    const created = nextRun();
    const started = followAsStaff(['orchestrator', 'run', '--json']);
    const id = await created();
    const watching = followAsStaff(['jobs', 'watch', id]);
    await printed(watching, /\] 0\/0 queued/);
    stack.dropConnections();
    await jobs.update(id, () => ({
      status: 'failed',
      errors: [{ item: 'task-9', code: 'CONVERSION_FAILED', message: 'sheet missing' }],
    }));
    const watched = await watching.done;
    expect(watched.stderr).toContain('progress stream lost');
    expect(watched.code).toBe(1);
    expect(watched.stdout).toContain('task-9: CONVERSION_FAILED sheet missing');
    const json = await started.done;
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ id, status: 'failed' });
  });

  // A real statements refresh of every customer, then waiting for its worker to stop: longer than most tests.
  it('cancels the job it follows on Ctrl-C, says so and exits 130', { timeout: 180_000 }, async () => {
    expect((await stack.pharma(['clients', 'refresh'])).code).toBe(0);
    const running = stack.spawnPharma(['statements', 'refresh']);
    await printed(running, /\] \d+\/\d+ (queued|running)/);
    const id = /job (\S+) \(statements\.refresh\) started/.exec(running.stderr())?.[1];
    expect(id).toBeDefined();
    running.child.kill('SIGINT');
    const run = await running.done;
    expect(run.code).toBe(130);
    expect(run.stderr).toMatch(new RegExp(`Interrupted: job ${id} (cancelled|asked to stop)`));
    await eventually(
      async () => {
        const shown = await stack.pharma(['jobs', 'show', id as string, '--json']);
        expect(JSON.parse(shown.stdout)).toMatchObject({ id, status: 'cancelled' });
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
  });

  it('reports Ctrl-C as one JSON document with --json', async () => {
    const created = nextRun();
    const running = followAsStaff(['orchestrator', 'run', '--json']);
    const id = await created();
    // With --json there is no progress line to wait for: the CLI follows once it has asked for the job's stream.
    await eventually(() => expect(stack.streamRequested(id)).toBe(true), { timeoutMs: 20_000 });
    running.child.kill('SIGINT');
    const run = await running.done;
    expect(run.code).toBe(130);
    expect(JSON.parse(run.stdout)).toMatchObject({
      code: 'INTERRUPTED',
      exitCode: 130,
      job: { id, status: 'cancelled' },
    });
  });
});
