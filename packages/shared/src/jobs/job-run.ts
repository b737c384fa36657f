import type { FinalJobStatus, Job, JobStore } from '../messaging/jobs.js';
import { isFinal } from '../messaging/jobs.js';
import { CoalescedWrites } from './coalesced-writes.js';
import { type ItemError, ItemErrors, MAX_ITEM_ERRORS } from './item-errors.js';

export type JobProgress = Job['progress'];

/** Who a job is: what a service needs to create it when the request came without one (a script published it). */
export interface JobIdentity {
  id: string;
  kind: Job['kind'];
  owner: string;
  correlationId?: string | undefined;
}

export interface JobRunOptions {
  /** Progress written when the job starts running; `{ done: 0, total: 0, stage: 'running' }` by default. */
  progress?: JobProgress;
  /** How often the cancel signal asks the job store whether a cancellation was requested. */
  cancelPollMs?: number;
  /** Least time between two progress writes (the last state is always written at the end). */
  progressIntervalMs?: number;
  /** Item errors listed on the job; the others are only counted. */
  maxItemErrors?: number;
  /**
   * A job whose cancellation was requested before it started: `end` (the default) marks it cancelled and does
   * not start it; `run` starts it with its cancel signal already raised, for work that must report its own
   * cancellation (an import's completion event).
   */
  whenCancelRequested?: 'end' | 'run';
}

const CANCELLED = () => new Error('cancelled');

/**
 * The job of a request, created if the request came without one. Two instances taking the same request may both
 * find no job: one creates it, the other reads what the first created.
 */
export async function openJob(jobs: JobStore, identity: JobIdentity): Promise<Job> {
  const existing = await jobs.get(identity.id);
  if (existing) return existing;
  try {
    return await jobs.create({
      id: identity.id,
      kind: identity.kind,
      owner: identity.owner,
      ...(identity.correlationId ? { correlationId: identity.correlationId } : {}),
    });
  } catch (error) {
    const created = await jobs.get(identity.id);
    if (created) return created;
    throw error;
  }
}

/**
 * Marks a requested job running (creating it when needed) and returns its run. Undefined when there is nothing
 * to run: the job already ended (a redelivery after the work was done), or its cancellation was requested, in
 * which case it is now `cancelled` (unless `whenCancelRequested` is `run`).
 */
export async function startJob(
  jobs: JobStore,
  identity: JobIdentity,
  options: JobRunOptions = {},
): Promise<JobRun | undefined> {
  const job = await openJob(jobs, identity);
  if (isFinal(job)) return undefined;
  const runAnyway = options.whenCancelRequested === 'run';
  if (job.cancelRequested && !runAnyway) {
    await jobs.update(identity.id, (current) => ({
      status: 'cancelled',
      progress: { ...current.progress, stage: 'cancelled' },
    }));
    return undefined;
  }
  const progress = options.progress ?? { done: 0, total: 0, stage: 'running' };
  const running = await jobs.update(identity.id, () => ({ status: 'running', progress }));
  // Cancelled while queued (the gateway ends a queued job at once): nothing to run.
  if (isFinal(running)) return undefined;
  return new JobRun(jobs, running, options);
}

/**
 * `startJob`, then `work` with the run; its cancel polling stops when the work ends, whatever happens. The work
 * writes the outcome itself (`run.finish`); a work that throws leaves the job running, for a redelivery to take up.
 * Undefined when there was nothing to run.
 */
export async function withJob<T>(
  jobs: JobStore,
  identity: JobIdentity,
  options: JobRunOptions,
  work: (run: JobRun) => Promise<T>,
): Promise<T | undefined> {
  const run = await startJob(jobs, identity, options);
  if (!run) return undefined;
  try {
    return await work(run);
  } finally {
    run.stop();
  }
}

/**
 * A running job as its service sees it: progress and item errors written to the job store coalesced (at most
 * one write in flight, the latest state wins), a cancellation request turned into an abort signal, and one
 * final write with the outcome.
 */
export class JobRun {
  readonly id: string;
  private readonly controller = new AbortController();
  private readonly errors: ItemErrors;
  private readonly writes: CoalescedWrites;
  private readonly cancelPollMs: number;
  private progress: JobProgress;
  private progressChanged = false;
  private poll: NodeJS.Timeout | undefined;
  private ended = false;

  constructor(
    private readonly jobs: JobStore,
    job: Job,
    options: JobRunOptions = {},
  ) {
    this.id = job.id;
    this.progress = job.progress;
    this.cancelPollMs = options.cancelPollMs ?? 500;
    this.errors = new ItemErrors(options.maxItemErrors ?? MAX_ITEM_ERRORS);
    this.writes = new CoalescedWrites(() => this.write({}), options.progressIntervalMs ?? 0);
    if (job.cancelRequested) this.controller.abort(CANCELLED());
  }

  /**
   * Aborted once a cancellation is requested. The job store is polled from the first time this is read until
   * the job ends, so work that only calls `isCancelled()` costs no polling.
   */
  get signal(): AbortSignal {
    if (!this.poll && !this.ended && !this.controller.signal.aborted) {
      this.poll = setInterval(() => void this.isCancelled().catch(() => false), this.cancelPollMs);
      this.poll.unref();
    }
    return this.controller.signal;
  }

  /** Asks the job store now, for work that checks at its own points; a store that cannot be read throws. */
  async isCancelled(): Promise<boolean> {
    if (this.controller.signal.aborted) return true;
    const job = await this.jobs.get(this.id);
    if (!job?.cancelRequested) return false;
    this.controller.abort(CANCELLED());
    clearInterval(this.poll);
    return true;
  }

  /**
   * The progress to show; written soon, coalesced with the reports around it. `stage` is a code of JOB_STAGES;
   * `message` the item at hand (a name, a URL, a folder); `params` the values a client needs to write it in its language.
   */
  report(done: number, total: number, stage: string, message?: string, params?: JobProgress['params']): void {
    this.progress = { done, total, stage, ...(message ? { message } : {}), ...(params ? { params } : {}) };
    this.progressChanged = true;
    this.writes.request();
  }

  /** An item that failed; listed while under the cap, always counted in `errorCount`. */
  addError(item: string, code: string, message: string): void {
    if (this.errors.add({ item, code, message })) this.writes.request();
  }

  /** Every item error of this run, listed or not. */
  get errorCount(): number {
    return this.errors.total;
  }

  /**
   * Ends the job: waits for the write in flight, then writes the status and result with what was not written
   * yet. `final.progress` replaces the last reported progress; `final.errors` are job-wide reasons, listed
   * whatever the cap. When the cap left errors off the list, the result says how many (`unlistedErrors`).
   */
  async finish(
    status: FinalJobStatus,
    result: Record<string, unknown>,
    final: { progress?: JobProgress; errors?: ItemError[] } = {},
  ): Promise<Job> {
    this.stop();
    await this.writes.close();
    if (final.progress) {
      this.progress = final.progress;
      this.progressChanged = true;
    }
    const unlisted = this.errors.unlisted;
    return this.write({
      status,
      result: unlisted > 0 ? { ...result, unlistedErrors: unlisted } : result,
      extraErrors: final.errors ?? [],
    });
  }

  /** Stops polling for a cancellation; `finish` does it too. For a run left without a final write. */
  stop(): void {
    this.ended = true;
    clearInterval(this.poll);
    this.poll = undefined;
  }

  private async write(final: {
    status?: FinalJobStatus;
    result?: Record<string, unknown>;
    extraErrors?: ItemError[];
  }): Promise<Job> {
    const errors = this.errors.take();
    const written = [...errors, ...(final.extraErrors ?? [])];
    const progress = this.progressChanged ? this.progress : undefined;
    this.progressChanged = false;
    try {
      return await this.jobs.update(this.id, (job) => ({
        ...(progress ? { progress } : {}),
        ...(written.length > 0 ? { errors: [...job.errors, ...written] } : {}),
        ...(final.status ? { status: final.status } : {}),
        ...(final.result ? { result: final.result } : {}),
      }));
    } catch (error) {
      this.errors.giveBack(errors);
      if (progress) this.progressChanged = true;
      throw error;
    }
  }
}
