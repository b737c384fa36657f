import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { outputNamePattern } from '../domain/output-name.js';

/** Filesystems store mtimes coarsely: a file written just after the task started may look a little older. */
const CLOCK_SLACK_MS = 2_000;

export interface FoundOutput {
  path: string;
  size: number;
}

/**
 * The newest output of this task written since it started, by the naming rule; undefined if there is none.
 * Synchronous: it runs in a script worker thread, where a blocking listing of a local folder costs less.
 */
export function findOutput(
  finalDir: string,
  task: { id: number; client: string; sourceFile: string },
  startedAt: number,
): FoundOutput | undefined {
  const pattern = outputNamePattern(task.client, task.id, task.sourceFile);
  let best: { path: string; mtime: number; size: number } | undefined;
  for (const name of readdirSync(finalDir)) {
    if (!pattern.test(name.normalize('NFC'))) continue;
    const path = join(finalDir, name);
    const info = statSync(path, { throwIfNoEntry: false });
    if (!info?.isFile() || info.mtimeMs < startedAt - CLOCK_SLACK_MS) continue;
    if (!best || info.mtimeMs > best.mtime || (info.mtimeMs === best.mtime && path > best.path)) {
      best = { path, mtime: info.mtimeMs, size: info.size };
    }
  }
  return best && { path: best.path, size: best.size };
}
