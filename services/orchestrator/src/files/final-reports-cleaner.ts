import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { taskIdOfOutput } from '../domain/output-name.js';

/**
 * Deletes outputs left in the final-reports folder (failed validations, crashed runs) once older than `maxAgeMs`.
 * A file of a task still running (by the task id in its name) is never touched, whatever its age.
 */
export function cleanFinalReports(
  finalDir: string,
  maxAgeMs: number,
  runningTaskIds: ReadonlySet<number>,
  now = Date.now(),
): Promise<string[]> {
  return removeOldFiles(finalDir, maxAgeMs, now, (name) => {
    const taskId = taskIdOfOutput(name);
    return taskId === undefined || !runningTaskIds.has(taskId);
  });
}

const PARTIAL = /^\..+\.partial-[0-9a-f]+$/;

/** Hidden temporary copies left in "ready to load" by a runner killed mid-copy (never a complete file). */
export function cleanPartialCopies(readyDir: string, maxAgeMs: number, now = Date.now()): Promise<string[]> {
  return removeOldFiles(readyDir, maxAgeMs, now, (name) => PARTIAL.test(name));
}

/** Deletes the files of `dir` older than `maxAgeMs` whose name `mayGo` allows; returns the names deleted. */
async function removeOldFiles(
  dir: string,
  maxAgeMs: number,
  now: number,
  mayGo: (name: string) => boolean,
): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!mayGo(name)) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile() || now - info.mtimeMs < maxAgeMs) continue;
    if (
      await unlink(path).then(
        () => true,
        () => false,
      )
    )
      removed.push(name);
  }
  return removed;
}
