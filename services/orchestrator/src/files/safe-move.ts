import { createHash, randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, fsyncSync, linkSync, openSync, readSync, unlinkSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { retry } from '@pharma/shared/retry';
import { isTransientMoveError, moveFailureReason } from '../domain/move-errors.js';

export type MoveResult =
  | { ok: true; path: string; alreadyPresent: boolean }
  | { ok: false; reason: string; detail: string };

export interface MoveOptions {
  retries: number;
  retryDelayMs: number;
}

const LINK_UNSUPPORTED = new Set(['EXDEV', 'ENOTSUP', 'EOPNOTSUPP', 'EPERM', 'EMLINK']);
const MAX_SUFFIX = 1_000;

/**
 * Moves a finished output into the "ready to load" folder so that the destination name only ever shows a
 * complete file: a hard link within one filesystem (atomic, never overwrites), otherwise a copy to a hidden
 * temporary name, fsync, then a link to the final name. A name already taken by the same content means the
 * file is already there; by other content, the next free `_<n>` suffix is used. Transient errors are retried.
 * The file operations block: this runs in a script worker thread, where they cost less than asynchronous ones.
 */
export async function moveToReady(source: string, readyDir: string, options: MoveOptions): Promise<MoveResult> {
  try {
    return await retry(async () => moveOnce(source, readyDir), {
      retries: options.retries,
      backoff: { baseMs: options.retryDelayMs },
      retryable: (error) => isTransientMoveError((error as NodeJS.ErrnoException).code),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, reason: moveFailureReason(code), detail: (error as Error).message };
  }
}

function moveOnce(source: string, readyDir: string): MoveResult {
  try {
    // A link is atomic: the name shows the whole file or nothing. No folder fsync here: after a power loss the
    // registry status (committed asynchronously) can only be older than the folder, and the task simply re-runs.
    const placed = placeUnder(readyDir, basename(source), source, source);
    unlinkSync(source);
    return { ok: true, ...placed };
  } catch (error) {
    if (!LINK_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
  }
  // Another filesystem (or no hard links): copy under a hidden name first, so a crash leaves no partial file.
  const temporary = join(readyDir, `.${basename(source)}.partial-${randomBytes(4).toString('hex')}`);
  try {
    copyFileSync(source, temporary);
    syncPath(temporary);
    const placed = placeUnder(readyDir, basename(source), temporary, source);
    // Some filesystems refuse fsync on a folder; the link itself is already durable there.
    try {
      syncPath(readyDir);
    } catch {}
    unlinkSync(source);
    return { ok: true, ...placed };
  } finally {
    try {
      unlinkSync(temporary);
    } catch {}
  }
}

function placeUnder(
  readyDir: string,
  name: string,
  from: string,
  original: string,
): { path: string; alreadyPresent: boolean } {
  const stem = basename(name, extname(name));
  const ext = extname(name);
  let sourceHash: string | undefined;
  for (let suffix = 0; suffix <= MAX_SUFFIX; suffix++) {
    const destination = join(readyDir, suffix === 0 ? name : `${stem}_${suffix}${ext}`);
    try {
      linkSync(from, destination);
      return { path: destination, alreadyPresent: false };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    sourceHash ??= sha256(original);
    if (sha256(destination) === sourceHash) return { path: destination, alreadyPresent: true };
  }
  throw Object.assign(new Error(`more than ${MAX_SUFFIX} different files named ${name}`), { code: 'EEXIST' });
}

function sha256(file: string): string {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(file, 'r');
  try {
    for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) hash.update(buffer.subarray(0, read));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

function syncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
