import type { Log } from '@pharma/shared/logger';
import type { Job, JobStore, NatsContext } from '@pharma/shared/messaging';
import { createSobrusHttp, type SobrusHttp } from '../http/sobrus-http.js';
import { JobReporter } from '../jobs/job-reporter.js';
import { startJob } from '../jobs/start-job.js';
import { SessionProvider } from '../sobrus/session-provider.js';
import type { ListingDeps } from './customer-listing.js';

export interface SobrusJobDeps extends ListingDeps {
  nats: NatsContext;
  jobs: JobStore;
}

/** What a scraping job works with: its log, progress reporter, and a Sobrus session with HTTP over it. */
export interface SobrusJob {
  pharmacyId: string;
  log: Log;
  reporter: JobReporter;
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
  const job = await startJob(
    deps.jobs,
    { id: request.jobId, kind, owner: pharmacyId, correlationId: request.correlationId },
    firstStage,
  );
  if (!job) return undefined;
  const log = deps.logger.child({ jobId: request.jobId, pharmacyId });
  const sessions = new SessionProvider(deps.nats, pharmacyId, {
    timeoutMs: deps.config.authTimeoutMs,
    maxRenewals: deps.config.http.maxSessionRenewals,
  });
  return {
    pharmacyId,
    log,
    reporter: new JobReporter(deps.jobs, request.jobId),
    started: Date.now(),
    sessions,
    http: createSobrusHttp(sessions, deps.config.http, log),
  };
}
