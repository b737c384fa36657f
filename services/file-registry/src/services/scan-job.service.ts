import type { pg } from '@pharma/shared/db';
import { toError } from '@pharma/shared/errors';
import type { Log } from '@pharma/shared/logger';
import type { JobPatch, JobStore, NatsContext } from '@pharma/shared/messaging';
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
/** Item errors kept on the job; the totals still count every one. */
const MAX_ITEM_ERRORS = 500;

/** Runs a scan as a job: progress per stage, malformed paths as item errors, totals as the result. */
export async function runScanJob(deps: ScanJobDeps, jobId: string, correlationId?: string): Promise<ScanResult> {
  const { jobs, logger } = deps;
  await jobs.update(jobId, () => ({
    status: 'running',
    progress: { done: 0, total: STAGES.length, stage: 'walking' },
  }));
  const result = await runScan(
    { pool: deps.pool, config: deps.config.scanner, logger, events: deps.events },
    {
      jobId,
      correlationId,
      onStage: async (stage, message) => {
        await jobs.update(jobId, () => ({
          progress: { done: STAGES.indexOf(stage), total: STAGES.length, stage, message },
        }));
      },
      isCancelled: async () => (await jobs.get(jobId))?.cancelRequested === true,
    },
  );
  if (result.status === 'succeeded') {
    await notifyMissingReports({ ...deps, lateAfterDay: deps.config.expected.lateAfterDay }).catch((error) =>
      result.warnings.push(`missing-report notices not sent: ${toError(error).message}`),
    );
  }
  await jobs.update(jobId, () => finalPatch(result));
  return result;
}

function finalPatch(result: ScanResult): JobPatch {
  const summary = {
    scanId: result.scanId,
    status: result.status,
    root: result.root,
    totals: result.totals,
    unstablePaths: result.unstablePaths.slice(0, 100),
    unreadable: result.unreadable.slice(0, 100),
    warnings: result.warnings,
    stageMs: result.stageMs,
  };
  const progress = { done: STAGES.length, total: STAGES.length, stage: 'done' };
  if (result.cancelled) return { status: 'cancelled', result: summary, progress };
  if (result.status === 'locked') {
    return {
      status: 'failed',
      result: summary,
      progress,
      errors: [{ item: result.root, code: 'LOCKED', message: result.error ?? 'another scan is running' }],
    };
  }
  if (result.status === 'failed') {
    return {
      status: 'failed',
      result: summary,
      progress,
      errors: [{ item: result.root, code: 'SCAN_FAILED', message: result.error ?? 'scan failed' }],
    };
  }
  const errors = result.skippedByStructure
    .slice(0, MAX_ITEM_ERRORS)
    .map((skipped) => ({ item: skipped.path, code: skipped.reason, message: skipped.message }));
  return { status: 'succeeded', result: summary, progress, errors };
}
