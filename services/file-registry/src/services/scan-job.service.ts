import type { pg } from '@pharma/shared/db';
import { toError } from '@pharma/shared/errors';
import { type JobRun, withJob } from '@pharma/shared/jobs';
import type { Log } from '@pharma/shared/logger';
import type { JobStore, NatsContext } from '@pharma/shared/messaging';
import type { Config } from '../config.js';
import type { RegistryDb } from '../db/client.js';
import { notifyMissingReports } from './expected.service.js';
import { runScan } from './scan.service.js';
import type { ScanEventSink, ScanResult, ScanStage } from './scan.types.js';

export interface ScanJobDeps {
  pool: pg.Pool;
  db: RegistryDb;
  nats: NatsContext;
  jobs: JobStore;
  events: ScanEventSink;
  config: Config;
  logger: Log;
}

const STAGES: ScanStage[] = ['walking', 'checking', 'registering', 'publishing'];

/** A scan as a job, its dependencies bound: what the consumer and the schedule start. */
export type ScanAsJob = (jobId: string, correlationId?: string, requestedBy?: string) => Promise<unknown>;

/**
 * Runs a scan as a job (created if the request came without one): progress per stage, malformed paths as item
 * errors, totals as the result. Undefined when the job had already ended or its cancellation came first.
 */
export async function runScanJob(
  deps: ScanJobDeps,
  jobId: string,
  correlationId?: string,
  requestedBy?: string,
): Promise<ScanResult | undefined> {
  const identity = { id: jobId, kind: 'registry.scan' as const, owner: requestedBy ?? 'system', correlationId };
  const firstStage = { progress: { done: 0, total: STAGES.length, stage: 'walking' } };
  return withJob(deps.jobs, identity, firstStage, async (run) => {
    const result = await runScan(
      { pool: deps.pool, config: deps.config.scanner, logger: deps.logger, events: deps.events },
      {
        jobId,
        correlationId,
        onStage: (stage, message, files) =>
          files === undefined
            ? run.report(STAGES.indexOf(stage), STAGES.length, stage, message)
            : run.report(STAGES.indexOf(stage), STAGES.length, stage, undefined, { files }),
        isCancelled: () => run.isCancelled(),
      },
    );
    if (result.status === 'succeeded') {
      await notifyMissingReports({ ...deps, lateAfterDay: deps.config.expected.lateAfterDay }).catch((error) =>
        result.warnings.push(`missing-report notices not sent: ${toError(error).message}`),
      );
    }
    await finish(run, result);
    return result;
  });
}

function finish(run: JobRun, result: ScanResult) {
  const { scanId, status, root, totals, warnings, stageMs } = result;
  const unstablePaths = result.unstablePaths.slice(0, 100);
  const unreadable = result.unreadable.slice(0, 100);
  const summary = { scanId, status, root, totals, unstablePaths, unreadable, warnings, stageMs };
  const progress = { done: STAGES.length, total: STAGES.length, stage: 'done' };
  if (result.cancelled) return run.finish('cancelled', summary, { progress });
  if (result.status === 'locked') {
    const reason = { item: result.root, code: 'LOCKED', message: result.error ?? 'another scan is running' };
    return run.finish('failed', summary, { progress, errors: [reason] });
  }
  if (result.status === 'failed') {
    const reason = { item: result.root, code: 'SCAN_FAILED', message: result.error ?? 'scan failed' };
    return run.finish('failed', summary, { progress, errors: [reason] });
  }
  for (const skipped of result.skippedByStructure) run.addError(skipped.path, skipped.reason, skipped.message);
  return run.finish('succeeded', summary, { progress });
}
