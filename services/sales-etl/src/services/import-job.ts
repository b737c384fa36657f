import { type JobRun, withJob } from '@pharma/shared/jobs';
import type { Log } from '@pharma/shared/logger';
import { type JobStore, type NatsContext, publishEvent } from '@pharma/shared/messaging';
import {
  type FileOutcome,
  type ImportDeps,
  type ImportRequest,
  type ImportResult,
  refreshAnalyses,
  runImport,
} from './import.service.js';

export interface ImportJobDeps extends ImportDeps {
  nats: NatsContext;
  jobs: JobStore;
}

/**
 * Runs an import as a job: live progress and the final state in the job store, then the
 * `sales.import.completed` and `sales.analyses.updated` events. Rejected rows are listed as job errors
 * (one per file, pointing at the rejects of the run) so a run never looks cleaner than it was.
 */
export async function runImportJob(
  deps: ImportJobDeps,
  request: ImportRequest & { jobId: string },
  options: { correlationId?: string; logger: Log },
): Promise<ImportResult | undefined> {
  const total = Object.keys(request.urls).length;
  // A cancellation that came first still runs the import, which stops at once: its completion event says so.
  return withJob(
    deps.jobs,
    { id: request.jobId, kind: 'sales.import', owner: 'system', correlationId: options.correlationId },
    { progress: { done: 0, total, stage: 'starting' }, whenCancelRequested: 'run' },
    (run) => importAsJob(deps, request, options, run),
  );
}

async function importAsJob(
  deps: ImportJobDeps,
  request: ImportRequest & { jobId: string },
  options: { correlationId?: string; logger: Log },
  run: JobRun,
): Promise<ImportResult> {
  const result = await runImport(deps, request, {
    progress: (progress) =>
      run.report(progress.done, progress.total, progress.stage, progress.message, progress.params),
    isCancelled: () => run.isCancelled(),
  });
  const completedAt = new Date().toISOString();
  let totalRevenue: number | undefined;
  if (result.status === 'succeeded') {
    const analyses = await refreshAnalyses(deps.db, result.runId);
    totalRevenue = analyses.totalRevenue;
  }
  for (const file of result.files) {
    if (file.rejected === 0) continue;
    const message = `${file.rejected} of ${file.read} rows rejected (rejects of run ${result.runId})`;
    run.addError(`${file.kind}: ${file.url}`, 'ROWS_REJECTED', message);
  }
  await run.finish(
    result.status,
    { runId: result.runId, importId: request.importId, files: result.files.map(summary) },
    {
      progress: {
        done: result.files.length,
        total: Object.keys(request.urls).length,
        stage: result.status,
        ...(result.error ? { message: result.error.message } : {}),
      },
      errors: result.error ? [{ item: 'import', code: result.error.code, message: result.error.message }] : [],
    },
  );
  await publishEvent(
    deps.nats,
    'sales.import.completed',
    {
      jobId: request.jobId,
      importId: request.importId,
      runId: result.runId,
      // The event's status has no "cancelled": a cancelled import is a failed one whose error says so.
      status: result.status === 'succeeded' ? 'succeeded' : 'failed',
      files: result.files.map((file) => ({
        file: file.url,
        kind: file.kind,
        read: file.read,
        inserted: file.inserted,
        duplicates: file.duplicates,
        rejected: file.rejected,
        unchanged: file.outcome === 'unchanged',
      })),
      ...(result.error ? { error: `${result.error.code}: ${result.error.message}` } : {}),
      completedAt,
      ...(options.correlationId ? { correlationId: options.correlationId } : {}),
    },
    { msgId: `sales.import.completed:${result.runId}`, correlationId: options.correlationId },
  );
  if (totalRevenue !== undefined) {
    await publishEvent(
      deps.nats,
      'sales.analyses.updated',
      { runId: result.runId, computedAt: completedAt, totalRevenue },
      { msgId: `sales.analyses.updated:${result.runId}`, correlationId: options.correlationId },
    );
  }
  options.logger.info({ runId: result.runId, status: result.status }, 'import job finished');
  return result;
}

const summary = (file: FileOutcome) => ({
  kind: file.kind,
  url: file.url,
  outcome: file.outcome,
  read: file.read,
  inserted: file.inserted,
  duplicates: file.duplicates,
  rejected: file.rejected,
  ...(file.encoding ? { encoding: file.encoding, delimiter: file.delimiter } : {}),
});
