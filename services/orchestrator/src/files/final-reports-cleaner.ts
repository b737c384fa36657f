import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { taskIdOfOutput } from '../domain/output-name.js';

/**
 * Deletes outputs left in the final-reports folder (failed validations, crashed runs) once older than `maxAgeMs`.
 * A file of a task still running (by the task id in its name) is never touched, whatever its age.
 */
export async function cleanFinalReports(
  finalDir: string,
  maxAgeMs: number,
  runningTaskIds: ReadonlySet<number>,
  now = Date.now(),
): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(finalDir).catch(() => [] as string[])) {
    const taskId = taskIdOfOutput(name);
    if (taskId !== undefined && runningTaskIds.has(taskId)) continue;
    const path = join(finalDir, name);
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

const PARTIAL = /^\..+\.partial-[0-9a-f]+$/;

/** Hidden temporary copies left in "ready to load" by a runner killed mid-copy (never a complete file). */
export async function cleanPartialCopies(readyDir: string, maxAgeMs: number, now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(readyDir).catch(() => [] as string[])) {
    if (!PARTIAL.test(name)) continue;
    const path = join(readyDir, name);
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
