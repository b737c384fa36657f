import type { Static } from '@sinclair/typebox';
import type { JobKind, Job as JobSchema } from '../contracts/jobs.js';
import { ConflictError, NotFoundError } from '../errors/index.js';
import { currentCorrelationId } from '../logger/index.js';
import { platformMetrics } from '../metrics/index.js';
import type { NatsContext } from './connection.js';
import { type KV, openKv } from './stores.js';

export type Job = Static<typeof JobSchema>;
export type JobPatch = Partial<Omit<Job, 'id' | 'kind' | 'owner' | 'createdAt'>>;

/** Statuses after which a job never changes again. */
export type FinalJobStatus = Exclude<Job['status'], 'queued' | 'running'>;

export const JOBS_BUCKET = 'jobs';
const FINAL = new Set<Job['status']>(['succeeded', 'partial', 'failed', 'cancelled'] satisfies FinalJobStatus[]);

export const isFinal = (job: Pick<Job, 'status'>) => FINAL.has(job.status);

/** Live job state in a KV bucket: services update it, the gateway watches it to stream progress. */
export class JobStore {
  private constructor(private readonly kv: KV) {}

  static async open(ctx: NatsContext): Promise<JobStore> {
    return new JobStore(await openKv(ctx, JOBS_BUCKET, { history: 1, ttl: 7 * 86_400_000 }));
  }

  /** A queued job; its correlation id defaults to the id of the work in progress. */
  async create(input: { id: string; kind: Static<typeof JobKind>; owner: string; correlationId?: string }) {
    const now = new Date().toISOString();
    const correlationId = input.correlationId ?? currentCorrelationId();
    const job: Job = {
      ...input,
      ...(correlationId ? { correlationId } : {}),
      status: 'queued',
      progress: { done: 0, total: 0, stage: 'queued' },
      errors: [],
      createdAt: now,
      updatedAt: now,
    };
    await this.kv.create(input.id, JSON.stringify(job));
    return job;
  }

  async get(id: string): Promise<Job | undefined> {
    const entry = await this.kv.get(id);
    if (entry?.operation !== 'PUT' || entry.length === 0) return undefined;
    return entry.json<Job>();
  }

  async require(id: string): Promise<Job> {
    const job = await this.get(id);
    if (!job) throw new NotFoundError(`Job ${id} does not exist`);
    return job;
  }

  /** Applies a change with compare-and-set, retrying on concurrent writers. A finished job is never reopened. */
  async update(id: string, change: (job: Job) => JobPatch): Promise<Job> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const entry = await this.kv.get(id);
      if (entry?.operation !== 'PUT') throw new NotFoundError(`Job ${id} does not exist`);
      const current = entry.json<Job>();
      if (isFinal(current)) return current;
      const next: Job = { ...current, ...change(current), updatedAt: new Date().toISOString() };
      try {
        await this.kv.update(id, JSON.stringify(next), entry.revision);
        if (isFinal(next)) recordFinished(next);
        return next;
      } catch (error) {
        if (!/wrong last sequence/i.test(String(error))) throw error;
      }
    }
    throw new ConflictError(`Job ${id} is updated too often to apply a change`, 'JOB_CONTENDED');
  }

  async list(filter: { owner?: string } = {}): Promise<Job[]> {
    const jobs: Job[] = [];
    for await (const key of await this.kv.keys()) {
      const job = await this.get(key);
      if (job && (filter.owner === undefined || job.owner === filter.owner)) jobs.push(job);
    }
    return jobs.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** Yields the job's state now and after every change, until it is final. */
  async *follow(id: string, signal?: AbortSignal): AsyncGenerator<Job> {
    const watcher = await this.kv.watch({ key: id });
    const stop = () => watcher.stop();
    signal?.addEventListener('abort', stop, { once: true });
    try {
      for await (const entry of watcher) {
        if (entry.operation !== 'PUT') continue;
        const job = entry.json<Job>();
        yield job;
        if (isFinal(job)) return;
      }
    } finally {
      signal?.removeEventListener('abort', stop);
      watcher.stop();
    }
  }
}

function recordFinished(job: Job): void {
  platformMetrics.jobsFinished().inc({ kind: job.kind, status: job.status });
  const seconds = (Date.parse(job.updatedAt) - Date.parse(job.createdAt)) / 1000;
  platformMetrics.jobSeconds().observe({ kind: job.kind }, Math.max(0, seconds));
}
