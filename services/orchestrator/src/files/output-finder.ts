import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { outputNamePattern } from '../domain/output-name.js';

/** Filesystems store mtimes coarsely: a file written just after the task started may look a little older. */
const CLOCK_SLACK_MS = 2_000;

export interface FoundOutput {
  path: string;
  size: number;
}

/** The newest output of this task written since it started, by the naming rule; undefined if there is none. */
export async function findOutput(
  finalDir: string,
  task: { id: number; client: string; sourceFile: string },
  startedAt: number,
): Promise<FoundOutput | undefined> {
  const pattern = outputNamePattern(task.client, task.id, task.sourceFile);
  let best: { path: string; mtime: number; size: number } | undefined;
  for (const name of await readdir(finalDir)) {
    if (!pattern.test(name.normalize('NFC'))) continue;
    const path = join(finalDir, name);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile() || info.mtimeMs < startedAt - CLOCK_SLACK_MS) continue;
    if (!best || info.mtimeMs > best.mtime || (info.mtimeMs === best.mtime && path > best.path)) {
      best = { path, mtime: info.mtimeMs, size: info.size };
    }
  }
  return best && { path: best.path, size: best.size };
}
