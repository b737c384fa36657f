import { AppError, toError } from '@pharma/shared/errors';
import type { Log } from '@pharma/shared/logger';
import { backoffDelay, sleep } from '@pharma/shared/retry';
import type { FetchConfig } from '../config.js';
import type { SalesDatabase } from '../db/sales-database.js';
import { FILE_KINDS, type FileKind } from '../domain/header-mapping.js';
import { createValidationContext } from '../domain/row-validation.js';
import { DownloadError } from '../fetch/download-error.js';
import { openDownload } from '../fetch/safe-download.js';
import { type FileCounts, importFile } from '../import/file-importer.js';
import { ImportCancelledError } from '../import/import-errors.js';
import { SalesWriter } from '../import/sales-writer.js';
import { saveAnalyses } from '../repositories/analyses.repository.js';
import { type FileRow, finishRun, startRun } from '../repositories/runs.repository.js';
import { findValidators, saveValidators } from '../repositories/validators.repository.js';
import { type Analyses, computeAnalyses } from './analyses.js';

export type ImportUrls = Partial<Record<FileKind, string>>;

export interface ImportRequest {
  runId: string;
  importId: string;
  jobId?: string;
  scheduleId?: string;
  trigger: 'request' | 'schedule';
  urls: ImportUrls;
  /** Send the validators of the last import of each URL and skip files the server says are unchanged. */
  conditional: boolean;
}

export interface ImportHooks {
  progress?(update: {
    done: number;
    total: number;
    stage: string;
    message?: string;
    params?: Record<string, string | number>;
  }): Promise<void> | void;
  /** Asked between files and about once a second; true stops the import and rolls it back. */
  isCancelled?(): Promise<boolean>;
}

export interface ImportDeps {
  db: SalesDatabase;
  fetch: FetchConfig;
  revenueTolerance: number;
  logger: Log;
}

export interface FileOutcome extends FileCounts {
  kind: FileKind;
  url: string;
  outcome: FileRow['outcome'];
  bytes: number;
  encoding?: string;
  delimiter?: string;
  error?: string;
}

export interface ImportResult {
  runId: string;
  status: 'succeeded' | 'failed' | 'cancelled';
  files: FileOutcome[];
  error?: { code: string; message: string };
}

/**
 * Imports the files of a request in one transaction: products, then stores, then sales. Any failure
 * (network, truncated body, bad header, cancellation) rolls everything back, so the tables are exactly
 * as they were before; the run, its file outcomes and the reason are recorded afterwards.
 */
export function runImport(deps: ImportDeps, request: ImportRequest, hooks: ImportHooks = {}): Promise<ImportResult> {
  return deps.db.writeLock.run(() => importLocked(deps, request, hooks));
}

async function importLocked(deps: ImportDeps, request: ImportRequest, hooks: ImportHooks): Promise<ImportResult> {
  const { db } = deps;
  const log = deps.logger.child({ runId: request.runId, importId: request.importId });
  const kinds = FILE_KINDS.filter((kind) => request.urls[kind]);
  startRun(db.write, {
    id: request.runId,
    importId: request.importId,
    jobId: request.jobId ?? null,
    scheduleId: request.scheduleId ?? null,
    trigger: request.trigger,
    status: 'running',
    urls: request.urls as Record<string, string>,
    startedAt: new Date().toISOString(),
  });
  const files: FileOutcome[] = [];
  let current: FileOutcome | undefined;
  // References are checked by the row validator against the products and stores of this same transaction,
  // so SQLite's own per-row foreign-key lookups would only repeat them (and cost a quarter of the insert time).
  db.writer.pragma('foreign_keys = OFF');
  try {
    db.writer.exec('BEGIN IMMEDIATE');
    const writer = new SalesWriter(db.writer);
    const ctx = createValidationContext(writer.loadReferences(), deps.revenueTolerance);
    for (const [index, kind] of kinds.entries()) {
      if (await hooks.isCancelled?.()) throw new ImportCancelledError();
      const url = request.urls[kind]!;
      current = { kind, url, outcome: 'failed', bytes: 0, read: 0, inserted: 0, duplicates: 0, rejected: 0 };
      await hooks.progress?.({ done: index, total: kinds.length, stage: 'importing', message: url, params: { kind } });
      const reading = async (bytes: number) => {
        const mib = Number((bytes / 1_048_576).toFixed(1));
        await hooks.progress?.({ done: index, total: kinds.length, stage: 'reading', params: { kind, mib } });
      };
      Object.assign(current, await importOneFile(deps, request, hooks, { kind, url, writer, ctx, reading }));
      log.info({ ...current }, 'file imported');
      files.push(current);
      current = undefined;
    }
    db.writer.exec('COMMIT');
  } catch (thrown) {
    if (db.writer.inTransaction) db.writer.exec('ROLLBACK');
    db.writer.pragma('foreign_keys = ON');
    const error = toError(thrown);
    const code = error instanceof AppError ? error.code : 'INTERNAL';
    const status = error instanceof ImportCancelledError ? 'cancelled' : 'failed';
    if (current) files.push({ ...current, outcome: 'failed', error: error.message });
    for (const file of files) if (file.outcome === 'imported') file.outcome = 'rolled_back';
    log.warn({ err: error, status }, 'import rolled back');
    finishRun(db.write, request.runId, { status, error: `${code}: ${error.message}`, files: fileRows(request, files) });
    return { runId: request.runId, status, files, error: { code, message: error.message } };
  }
  db.writer.pragma('foreign_keys = ON');
  finishRun(db.write, request.runId, { status: 'succeeded', files: fileRows(request, files) });
  return { runId: request.runId, status: 'succeeded', files };
}

/** Recomputes the analyses after a successful run and keeps them under its id. */
export function refreshAnalyses(db: SalesDatabase, runId: string): Promise<Analyses> {
  return db.writeLock.run(() => {
    const analyses = computeAnalyses(db.reader, runId);
    saveAnalyses(db.write, analyses);
    return analyses;
  });
}

interface FileTarget {
  kind: FileKind;
  url: string;
  writer: SalesWriter;
  ctx: ReturnType<typeof createValidationContext>;
  /** Told about once a second how far the download got. */
  reading: (bytes: number) => Promise<void>;
}

/**
 * One file under a savepoint. A body that breaks off mid-way is downloaded again from the start (after
 * undoing what it wrote), up to the configured retries; failures before the body are retried by openDownload.
 */
async function importOneFile(
  deps: ImportDeps,
  request: ImportRequest,
  hooks: ImportHooks,
  { kind, url, writer, ctx, reading }: FileTarget,
): Promise<Partial<FileOutcome>> {
  const { db } = deps;
  const validators = request.conditional ? findValidators(db.write, url) : undefined;
  for (let attempt = 0; ; attempt++) {
    const download = await openDownload(url, deps.fetch, validators);
    if (download.notModified) return { outcome: 'unchanged' };
    db.writer.exec('SAVEPOINT file_import');
    try {
      const result = await importFile(
        {
          runId: request.runId,
          kind,
          url,
          body: download.body,
          read: {
            contentType: download.contentType,
            contentLength: download.contentLength,
            maxBytes: deps.fetch.maxBytes,
            checkpoint: async (bytes) => {
              if (await hooks.isCancelled?.()) throw new ImportCancelledError();
              await reading(bytes);
            },
          },
        },
        writer,
        ctx,
      );
      saveValidators(db.write, url, download.validators);
      db.writer.exec('RELEASE file_import');
      return { outcome: 'imported', ...result };
    } catch (thrown) {
      download.body.destroy();
      db.writer.exec('ROLLBACK TO file_import');
      db.writer.exec('RELEASE file_import');
      writer.discardPending();
      ctx.refs = writer.loadReferences();
      const error = asBodyError(thrown, url);
      if (!error.retryable || attempt >= deps.fetch.retries) throw error;
      deps.logger.warn({ err: error, kind, url, attempt }, 'download broke off, starting the file again');
      await sleep(backoffDelay(attempt + 1, { baseMs: deps.fetch.retryDelayMs }));
    }
  }
}

/** Errors while reading a body that are not ours are the connection breaking off. */
function asBodyError(thrown: unknown, url: string): AppError {
  if (thrown instanceof AppError) return thrown;
  const error = toError(thrown);
  return new DownloadError('TRUNCATED', `download of ${url} broke off: ${error.message}`, true, error);
}

function fileRows(request: ImportRequest, files: FileOutcome[]): FileRow[] {
  return files.map((file) => ({
    runId: request.runId,
    kind: file.kind,
    url: file.url,
    outcome: file.outcome,
    encoding: file.encoding ?? null,
    delimiter: file.delimiter ?? null,
    bytes: file.bytes,
    read: file.read,
    inserted: file.inserted,
    duplicates: file.duplicates,
    rejected: file.rejected,
    error: file.error ?? null,
  }));
}
