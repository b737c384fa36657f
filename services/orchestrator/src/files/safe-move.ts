import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, link, open, unlink } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
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
 */
export async function moveToReady(source: string, readyDir: string, options: MoveOptions): Promise<MoveResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await moveOnce(source, readyDir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (attempt < options.retries && isTransientMoveError(code)) {
        await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs * 2 ** attempt));
        continue;
      }
      return { ok: false, reason: moveFailureReason(code), detail: (error as Error).message };
    }
  }
}

async function moveOnce(source: string, readyDir: string): Promise<MoveResult> {
  try {
    // A link is atomic: the name shows the whole file or nothing. No folder fsync here: after a power loss the
    // registry status (committed asynchronously) can only be older than the folder, and the task simply re-runs.
    const placed = await placeUnder(readyDir, basename(source), source, source);
    await unlink(source);
    return { ok: true, ...placed };
  } catch (error) {
    if (!LINK_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
  }
  // Another filesystem (or no hard links): copy under a hidden name first, so a crash leaves no partial file.
  const temporary = join(readyDir, `.${basename(source)}.partial-${randomBytes(4).toString('hex')}`);
  try {
    await copyFile(source, temporary);
    await syncFile(temporary);
    const placed = await placeUnder(readyDir, basename(source), temporary, source);
    await syncFolder(readyDir);
    await unlink(source);
    return { ok: true, ...placed };
  } finally {
    await unlink(temporary).catch(() => {});
  }
}

async function placeUnder(
  readyDir: string,
  name: string,
  from: string,
  original: string,
): Promise<{ path: string; alreadyPresent: boolean }> {
  const stem = basename(name, extname(name));
  const ext = extname(name);
  let sourceHash: string | undefined;
  for (let suffix = 0; suffix <= MAX_SUFFIX; suffix++) {
    const destination = join(readyDir, suffix === 0 ? name : `${stem}_${suffix}${ext}`);
    try {
      await link(from, destination);
      return { path: destination, alreadyPresent: false };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    sourceHash ??= await sha256(original);
    if ((await sha256(destination)) === sourceHash) return { path: destination, alreadyPresent: true };
  }
  throw Object.assign(new Error(`more than ${MAX_SUFFIX} different files named ${name}`), { code: 'EEXIST' });
}

function sha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

async function syncFile(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Some filesystems refuse fsync on a folder; the link itself is already durable there.
  } finally {
    await handle.close();
  }
}
