import type { Static } from '@pharma/shared/config';
import type { JobItemError } from '@pharma/shared/contracts';
import type { Job, JobStore } from '@pharma/shared/messaging';

type ItemError = Static<typeof JobItemError>;

/**
 * Writes a running job's progress and item errors to the job store, coalesced (at most one write in flight,
 * the latest state wins), and turns a cancellation request into an abort signal.
 */
export class JobReporter {
  private readonly controller = new AbortController();
  private progress: Job['progress'] | undefined;
  private errors: ItemError[] = [];
  private writing: Promise<void> | undefined;
  private dirty = false;
  private readonly poll: NodeJS.Timeout;

  constructor(
    private readonly jobs: JobStore,
    readonly jobId: string,
    cancelPollMs = 500,
  ) {
    this.poll = setInterval(() => void this.checkCancel(), cancelPollMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  private async checkCancel(): Promise<void> {
    const job = await this.jobs.get(this.jobId).catch(() => undefined);
    if (job?.cancelRequested) this.controller.abort(new Error('cancelled'));
  }

  report(done: number, total: number, stage: string, message?: string): void {
    this.progress = { done, total, stage, ...(message ? { message } : {}) };
    this.schedule();
  }

  addError(item: string, code: string, message: string): void {
    this.errors.push({ item, code, message });
    this.schedule();
  }

  private schedule(): void {
    this.dirty = true;
    if (this.writing) return;
    this.writing = (async () => {
      while (this.dirty) {
        this.dirty = false;
        await this.write({}).catch(() => {});
      }
    })().finally(() => {
      this.writing = undefined;
    });
  }

  private async write(final: Partial<Job>): Promise<Job> {
    const errors = this.errors;
    this.errors = [];
    const progress = this.progress;
    try {
      return await this.jobs.update(this.jobId, (job) => ({
        ...(progress ? { progress } : {}),
        ...(errors.length ? { errors: [...job.errors, ...errors] } : {}),
        ...final,
      }));
    } catch (error) {
      this.errors = [...errors, ...this.errors];
      throw error;
    }
  }

  async finish(status: 'succeeded' | 'failed' | 'cancelled', result: Record<string, unknown>): Promise<Job> {
    clearInterval(this.poll);
    while (this.writing) await this.writing;
    return this.write({ status, result });
  }

  stop(): void {
    clearInterval(this.poll);
  }
}
