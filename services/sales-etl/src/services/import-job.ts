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
): Promise<ImportResult> {
  const { jobs } = deps;
  await jobs.update(request.jobId, () => ({
    status: 'running',
    progress: { done: 0, total: Object.keys(request.urls).length, stage: 'starting' },
  }));
  const result = await runImport(deps, request, {
    progress: async (progress) => void (await jobs.update(request.jobId, () => ({ progress }))),
    isCancelled: async () => (await jobs.get(request.jobId))?.cancelRequested === true,
  });
  const completedAt = new Date().toISOString();
  let totalRevenue: number | undefined;
  if (result.status === 'succeeded') {
    const analyses = await refreshAnalyses(deps.db, result.runId);
    totalRevenue = analyses.totalRevenue;
  }
  await jobs.update(request.jobId, () => ({
    status: result.status,
    progress: {
      done: result.files.length,
      total: Object.keys(request.urls).length,
      stage: result.status,
      ...(result.error ? { message: result.error.message } : {}),
    },
    result: { runId: result.runId, importId: request.importId, files: result.files.map(summary) },
    errors: jobErrors(result),
  }));
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

function jobErrors(result: ImportResult) {
  const errors = result.files.flatMap((file) =>
    file.rejected > 0
      ? [
          {
            item: `${file.kind}: ${file.url}`,
            code: 'ROWS_REJECTED',
            message: `${file.rejected} of ${file.read} rows rejected (rejects of run ${result.runId})`,
          },
        ]
      : [],
  );
  if (result.error) errors.push({ item: 'import', code: result.error.code, message: result.error.message });
  return errors;
}
