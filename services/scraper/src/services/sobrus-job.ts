import { type JobRun, startJob } from '@pharma/shared/jobs';
import type { Log } from '@pharma/shared/logger';
import type { Job, JobStore, NatsContext } from '@pharma/shared/messaging';
import { createSobrusHttp, type SobrusHttp } from '../http/sobrus-http.js';
import { SessionProvider } from '../sobrus/session-provider.js';
import type { ListingDeps } from './customer-listing.js';

export interface SobrusJobDeps extends ListingDeps {
  nats: NatsContext;
  jobs: JobStore;
}

/** What a scraping job works with: its log, its run (progress, errors, cancel signal), a Sobrus session with HTTP over it. */
export interface SobrusJob {
  pharmacyId: string;
  log: Log;
  run: JobRun;
  started: number;
  sessions: SessionProvider;
  http: SobrusHttp;
}

/** Starts a requested job for a pharmacy; undefined when it already finished or was cancelled. */
export async function openSobrusJob(
  deps: SobrusJobDeps,
  request: { jobId: string; pharmacyId: string; correlationId?: string | undefined },
  kind: Job['kind'],
  firstStage: string,
): Promise<SobrusJob | undefined> {
  const pharmacyId = request.pharmacyId.toLowerCase();
  const run = await startJob(
    deps.jobs,
    { id: request.jobId, kind, owner: pharmacyId, correlationId: request.correlationId },
    { progress: { done: 0, total: 0, stage: firstStage } },
  );
  if (!run) return undefined;
  const log = deps.logger.child({ jobId: request.jobId, pharmacyId });
  const sessions = new SessionProvider(deps.nats, pharmacyId, {
    timeoutMs: deps.config.authTimeoutMs,
    maxRenewals: deps.config.http.maxSessionRenewals,
  });
  return {
    pharmacyId,
    log,
    run,
    started: Date.now(),
    sessions,
    http: createSobrusHttp(sessions, deps.config.http, log),
  };
}
