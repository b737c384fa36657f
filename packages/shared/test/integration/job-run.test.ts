import { randomUUID } from 'node:crypto';
import { type JobRun, openJob, startJob, withJob } from '@pharma/shared/jobs';
import { isFinal, type Job, JobStore } from '@pharma/shared/messaging';
import { createTestNats, type TestNats } from '@pharma/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The job runner against the real job store (a NATS KV bucket). */
describe('job runner', () => {
  let nats: TestNats;
  let jobs: JobStore;
  const identity = (id: string = randomUUID()) => ({ id, kind: 'registry.scan' as const, owner: 'staff@example.com' });

  beforeAll(async () => {
    nats = await createTestNats();
    jobs = await JobStore.open(nats.ctx);
  });
  afterAll(async () => nats.cleanup());

  it('creates a job the request came without and marks it running with the first progress', async () => {
    const who = { ...identity(), correlationId: 'trace-1' };
    const run = await startJob(jobs, who, { progress: { done: 0, total: 4, stage: 'walking' } });
    expect(run?.id).toBe(who.id);
    expect(await jobs.require(who.id)).toMatchObject({
      kind: 'registry.scan',
      owner: 'staff@example.com',
      correlationId: 'trace-1',
      status: 'running',
      progress: { done: 0, total: 4, stage: 'walking' },
    });
    await run?.finish('succeeded', {});
  });

  it('takes a queued job as it is: its owner is the one who queued it', async () => {
    const queued = await jobs.create({ ...identity(), owner: 'pharmacy@example.com' });
    const run = await startJob(jobs, { ...identity(queued.id), owner: 'system' });
    expect(run).toBeDefined();
    expect(await jobs.require(queued.id)).toMatchObject({ owner: 'pharmacy@example.com', status: 'running' });
    await run?.finish('succeeded', {});
  });

  it('has one job when instances race to create it', async () => {
    const who = identity();
    const opened = await Promise.all(Array.from({ length: 8 }, () => openJob(jobs, who)));
    expect(new Set(opened.map((job) => job.createdAt)).size).toBe(1);
    expect(opened.every((job) => job.id === who.id && job.status === 'queued')).toBe(true);
  });

  it('does not start a job that already ended, and leaves it as it was', async () => {
    const who = identity();
    await jobs.create(who);
    const ended = await jobs.update(who.id, () => ({ status: 'succeeded', result: { files: 3 } }));
    expect(await startJob(jobs, who)).toBeUndefined();
    expect(await jobs.require(who.id)).toEqual(ended);
  });

  it('ends a job whose cancellation came before it started, without starting it', async () => {
    const who = identity();
    await jobs.create(who);
    await jobs.update(who.id, () => ({ cancelRequested: true }));
    expect(await startJob(jobs, who)).toBeUndefined();
    expect(await jobs.require(who.id)).toMatchObject({ status: 'cancelled', progress: { stage: 'cancelled' } });
  });

  it('or starts it already cancelled, for work that reports its own cancellation', async () => {
    const who = identity();
    await jobs.create(who);
    await jobs.update(who.id, () => ({ cancelRequested: true }));
    const run = await startJob(jobs, who, { whenCancelRequested: 'run' });
    expect(run?.signal.aborted).toBe(true);
    expect(await run?.isCancelled()).toBe(true);
    expect((await jobs.require(who.id)).status).toBe('running');
    await run?.finish('cancelled', {});
  });

  it('turns a cancellation request into its signal, and isCancelled() asks the store at once', async () => {
    const polled = await startJob(jobs, identity(), { cancelPollMs: 50 });
    const asked = await startJob(jobs, identity(), { cancelPollMs: 60_000 });
    if (!polled || !asked) throw new Error('not started');
    const aborted = new Promise((resolve) => polled.signal.addEventListener('abort', resolve, { once: true }));
    expect(await polled.isCancelled()).toBe(false);
    await jobs.update(polled.id, () => ({ cancelRequested: true }));
    await jobs.update(asked.id, () => ({ cancelRequested: true }));
    await aborted;
    expect(asked.signal.aborted).toBe(false);
    expect(await asked.isCancelled()).toBe(true);
    expect(asked.signal.aborted).toBe(true);
    await polled.finish('cancelled', {});
    expect((await asked.finish('cancelled', {})).status).toBe('cancelled');
  });

  it('writes progress coalesced, the latest state last, and every error in order', async () => {
    const run = await startJob(jobs, identity());
    if (!run) throw new Error('not started');
    const revisions: Job[] = [];
    const following = (async () => {
      for await (const job of jobs.follow(run.id)) revisions.push(job);
    })();
    for (let done = 1; done <= 200; done += 1) {
      run.report(done, 200, 'walking', `file ${done}`);
      if (done % 50 === 0) run.addError(`file ${done}`, 'BAD_PATH', `file ${done} is misplaced`);
    }
    const job = await run.finish('succeeded', { files: 200 });
    await following;
    expect(job).toMatchObject({
      status: 'succeeded',
      progress: { done: 200, total: 200, stage: 'walking', message: 'file 200' },
      result: { files: 200 },
    });
    expect(job.errors.map((error) => error.item)).toEqual(['file 50', 'file 100', 'file 150', 'file 200']);
    // A write per report would be 200 revisions; one in flight at a time leaves a handful.
    expect(revisions.length).toBeLessThan(20);
    const dones = revisions.map((revision) => revision.progress.done);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));
  });

  it('waits the minimum interval between progress writes, and still writes the last one at the end', async () => {
    const run = await startJob(jobs, identity(), { progressIntervalMs: 60_000 });
    if (!run) throw new Error('not started');
    run.report(1, 3, 'running');
    await new Promise((resolve) => setTimeout(resolve, 200));
    run.report(2, 3, 'running');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await jobs.require(run.id)).progress.done).toBe(1);
    const job = await run.finish('succeeded', {}, { progress: { done: 3, total: 3, stage: 'done' } });
    expect(job.progress).toEqual({ done: 3, total: 3, stage: 'done' });
  });

  it('lists item errors up to the cap, counts them all, and always lists job-wide reasons', async () => {
    const run = await startJob(jobs, identity(), { maxItemErrors: 3 });
    if (!run) throw new Error('not started');
    for (let n = 1; n <= 5; n += 1) run.addError(`file ${n}`, 'BAD_PATH', 'misplaced');
    expect(run.errorCount).toBe(5);
    const job = await run.finish(
      'failed',
      { files: 5 },
      { errors: [{ item: 'run', code: 'RUN_FAILED', message: 'database gone' }] },
    );
    expect(job.errors.map((error) => error.item)).toEqual(['file 1', 'file 2', 'file 3', 'run']);
    expect(job.result).toEqual({ files: 5, unlistedErrors: 2 });
  });

  it('ends partial: final, listed like the other final statuses, never reopened', async () => {
    const run = await startJob(jobs, identity());
    if (!run) throw new Error('not started');
    run.report(2, 2, 'done');
    run.addError('file 2', 'TRUNCATED', 'the PDF ends early');
    const job = await run.finish('partial', { done: 1, failed: 1 });
    expect(job.status).toBe('partial');
    expect(isFinal(job)).toBe(true);
    const after = await jobs.update(job.id, () => ({ status: 'running' }));
    expect(after.status).toBe('partial');
    expect((await jobs.list()).find((listed) => listed.id === job.id)?.status).toBe('partial');
  });

  it('withJob runs the work with its run, and stops polling when the work ends, even by throwing', async () => {
    expect(await withJob(jobs, identity(), {}, async (run) => (await run.finish('succeeded', {})).status)).toBe(
      'succeeded',
    );
    let seen: JobRun | undefined;
    const thrown = withJob(jobs, identity(), { cancelPollMs: 20 }, async (run) => {
      seen = run;
      expect(run.signal.aborted).toBe(false);
      throw new Error('database gone');
    });
    await expect(thrown).rejects.toThrow('database gone');
    if (!seen) throw new Error('no run');
    // Left running for a redelivery; nobody polls for it any more.
    await jobs.update(seen.id, () => ({ cancelRequested: true }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen.signal.aborted).toBe(false);
    expect((await jobs.require(seen.id)).status).toBe('running');
    const ended = identity();
    await jobs.create(ended);
    await jobs.update(ended.id, () => ({ status: 'failed' }));
    let called = false;
    const work = async () => {
      called = true;
    };
    expect(await withJob(jobs, ended, {}, work)).toBeUndefined();
    expect(called).toBe(false);
  });

  it('does not reopen a job someone else ended meanwhile', async () => {
    const run = await startJob(jobs, identity());
    if (!run) throw new Error('not started');
    await jobs.update(run.id, () => ({ status: 'failed', result: { reason: 'given up' } }));
    const job = await run.finish('succeeded', { files: 1 });
    expect(job).toMatchObject({ status: 'failed', result: { reason: 'given up' } });
  });
});
