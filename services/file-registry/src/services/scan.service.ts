import { randomUUID } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { pg } from '@pharma/shared/db';
import { toError } from '@pharma/shared/errors';
import type { Log } from '@pharma/shared/logger';
import type { ScannerConfig } from '../config.js';
import { isSettled, isUnchanged, recheckDelayMs } from '../domain/stability.js';
import {
  insertNewFiles,
  loadKnownFiles,
  markDeleted,
  type NewFileRow,
  type RegisteredRow,
  reviveFiles,
  tryLockRoot,
  unlockRoot,
} from '../repositories/scan.repository.js';
import { statFiles } from '../scanner/stat-files.js';
import { judgeSymlink } from '../scanner/symlink-check.js';
import { walkTree } from '../scanner/tree-walker.js';
import {
  emptyTotals,
  type RegisteredFile,
  type ScanEventSink,
  type ScanHooks,
  type ScanResult,
  type ScanStage,
  type SkippedPath,
} from './scan.types.js';
import { type Candidate, planScan } from './scan-plan.js';

export interface ScanDeps {
  pool: pg.Pool;
  config: ScannerConfig;
  logger: Log;
  events?: ScanEventSink;
}

export interface ScanRequest extends ScanHooks {
  scanId?: string;
  jobId?: string;
  correlationId?: string;
}

class ScanCancelled extends Error {}

/**
 * One scan of the intake root: walk, sort against the registry, wait out files still being written, register the
 * stable ones and mark vanished ones DELETE in one transaction, then publish the facts. Only one scan per root runs at a time
 * (advisory lock); a concurrent request ends at once with status `locked`.
 */
export async function runScan(deps: ScanDeps, request: ScanRequest = {}): Promise<ScanResult> {
  const { config, logger } = deps;
  const result: ScanResult = {
    scanId: request.scanId ?? randomUUID(),
    jobId: request.jobId,
    correlationId: request.correlationId,
    root: config.root,
    status: 'succeeded',
    totals: emptyTotals(),
    skippedByStructure: [],
    unstablePaths: [],
    unreadable: [],
    warnings: [],
    stageMs: {},
    startedAt: new Date().toISOString(),
    completedAt: '',
  };
  let registered: RegisteredFile[] = [];
  try {
    const root = await realpath(config.root).catch(() => {
      throw new Error(`registry root ${config.root} does not exist or cannot be read`);
    });
    result.root = root;
    registered = await scanLocked(deps, request, root, result);
  } catch (thrown) {
    result.status = 'failed';
    result.error = toError(thrown).message;
    if (thrown instanceof ScanCancelled) result.cancelled = true;
    if (!(thrown instanceof ScanCancelled))
      logger.error({ err: toError(thrown), scanId: result.scanId }, 'scan failed');
  }
  if (deps.events && registered.length > 0) {
    await request.onStage?.('publishing', `${registered.length} new file(s)`, registered.length);
    const started = performance.now();
    await deps.events
      .filesRegistered(registered, request.correlationId)
      .catch((error) => result.warnings.push(`file events not all published: ${toError(error).message}`));
    result.stageMs.publishing = Math.round(performance.now() - started);
  }
  result.completedAt = new Date().toISOString();
  await deps.events
    ?.scanCompleted(result)
    .catch((error) => result.warnings.push(`scan event not published: ${toError(error).message}`));
  logger.info({ scanId: result.scanId, status: result.status, totals: result.totals }, 'scan finished');
  return result;
}

async function scanLocked(deps: ScanDeps, request: ScanRequest, root: string, result: ScanResult) {
  const client = await deps.pool.connect();
  let broken = false;
  try {
    if (!(await tryLockRoot(client, root))) {
      result.status = 'locked';
      result.error = 'another scan of this root is running';
      return [];
    }
    try {
      return await scanTree(deps, request, client, root, result);
    } finally {
      await unlockRoot(client, root).catch(() => {
        broken = true;
      });
    }
  } catch (error) {
    broken = true;
    throw error;
  } finally {
    // A connection in an unknown state (lock or transaction maybe held) is discarded, which frees the lock.
    client.release(broken);
  }
}

async function scanTree(
  deps: ScanDeps,
  request: ScanRequest,
  client: pg.PoolClient,
  root: string,
  result: ScanResult,
): Promise<RegisteredFile[]> {
  const { config } = deps;
  let stageStarted = performance.now();
  const endStage = (stage: ScanStage) => {
    const now = performance.now();
    result.stageMs[stage] = Math.round(now - stageStarted);
    stageStarted = now;
  };
  await request.onStage?.('walking', root);
  const [known, walk] = await Promise.all([loadKnownFiles(client), walkTree(root, config.concurrency)]);
  const rootProblem = walk.unreadable.find((u) => u.relativePath === '.');
  if (rootProblem) throw new Error(`registry root ${root} cannot be read: ${rootProblem.error}`);
  const plan = planScan(walk, known, config.providerFolders, new Set(config.extensions));
  result.unreadable = walk.unreadable;
  result.skippedByStructure = [...plan.skippedByStructure, ...(await judgeSymlinks(root, walk.symlinks))];
  result.totals.seen = walk.files.length + walk.symlinks.length;
  result.totals.skippedByFilter = plan.skippedByFilter;
  result.totals.skippedByStructure = result.skippedByStructure.length;
  if (walk.files.length === 0 && walk.symlinks.length === 0 && plan.vanished.length > 0) {
    // An empty root with registered files is far more likely an unmounted share than a mass deletion.
    result.warnings.push(`root is empty: ${plan.vanished.length} registered file(s) not marked DELETE`);
    plan.vanished = [];
  }
  endStage('walking');
  await checkCancelled(request);

  await request.onStage?.(
    'checking',
    `${plan.candidates.length} new file(s) to check for stability`,
    plan.candidates.length,
  );
  const { stable, unstable } = await splitByStability(root, plan.candidates, config);
  result.unstablePaths = unstable;
  result.totals.unstable = unstable.length;
  endStage('checking');
  await checkCancelled(request);

  await request.onStage?.('registering', `${stable.length} file(s) to register`, stable.length);
  const fresh = stable.filter((row) => !row.reappeared);
  const reappeared = stable.filter((row) => row.reappeared);
  let inserted: RegisteredRow[];
  let revived: RegisteredRow[];
  await client.query('BEGIN');
  try {
    inserted = await insertNewFiles(client, fresh);
    revived = await reviveFiles(client, reappeared);
    if (config.markDeleted) result.totals.deleted = await markDeleted(client, plan.vanished);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
  result.totals.new = inserted.length + revived.length;
  endStage('registering');
  return deps.events ? [...toRegisteredFiles(inserted, fresh), ...toRegisteredFiles(revived, reappeared)] : [];
}

function toRegisteredFiles(inserted: readonly RegisteredRow[], rows: readonly StableFile[]): RegisteredFile[] {
  let lastCreatedAt: Date | undefined;
  let registeredAt = '';
  return inserted.map(({ index, id, createdAt }) => {
    if (createdAt !== lastCreatedAt) {
      lastCreatedAt = createdAt;
      registeredAt = createdAt.toISOString();
    }
    const row = rows[index]!;
    return {
      messageId: row.reappeared ? `file-${id}-${Math.round(row.mtimeMs)}` : `file-${id}`,
      id,
      filePath: row.filePath,
      dataProvider: row.dataProvider,
      reportYear: row.reportYear,
      reportMonth: row.reportMonth,
      clientName: row.clientName,
      reportType: row.reportType,
      registeredAt,
    };
  });
}

/** Registers a young file only if a second look, a full settle window later, sees the same size and mtime. */
async function splitByStability(root: string, candidates: Candidate[], config: ScannerConfig) {
  const paths = candidates.map((c) => c.filePath);
  const first = await statFiles(root, paths);
  const now = Date.now();
  const stable: StableFile[] = [];
  const young: number[] = [];
  candidates.forEach((candidate, index) => {
    const observation = first[index];
    if (!observation) return;
    if (isSettled(observation, now, config.stableAfterMs)) stable.push(toRow(candidate, observation.mtimeMs));
    else young.push(index);
  });
  const unstable: string[] = [];
  if (young.length > 0 && config.recheckUnstable) {
    const youngObservations = young.map((index) => first[index]!);
    await sleep(recheckDelayMs(youngObservations, now, config.stableAfterMs));
    const second = await statFiles(
      root,
      young.map((index) => paths[index]!),
    );
    young.forEach((index, position) => {
      const again = second[position];
      if (again && isUnchanged(first[index]!, again)) stable.push(toRow(candidates[index]!, again.mtimeMs));
      else if (again) unstable.push(paths[index]!);
    });
  } else {
    for (const index of young) unstable.push(paths[index]!);
  }
  return { stable, unstable };
}

const toRow = (candidate: Candidate, mtimeMs: number): StableFile => ({
  filePath: candidate.filePath,
  mtimeMs,
  reappeared: candidate.reappeared,
  ...candidate.parsed,
});

type StableFile = NewFileRow & { reappeared: boolean };

async function judgeSymlinks(root: string, links: readonly string[]): Promise<SkippedPath[]> {
  return Promise.all(links.map(async (path) => ({ path, ...(await judgeSymlink(root, path)) })));
}

async function checkCancelled(request: ScanHooks) {
  if (await request.isCancelled?.()) throw new ScanCancelled('scan cancelled');
}
