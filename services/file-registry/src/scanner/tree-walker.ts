import type { Dirent } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';

/** Paths are relative to the root and use forward slashes whatever the platform. */
export interface WalkResult {
  files: string[];
  symlinks: string[];
  /** Folders that could not be read: nothing below them may be judged missing. */
  unreadable: { relativePath: string; error: string }[];
  directories: number;
}

/**
 * Lists every file under the root with a work queue of directories read concurrently (no recursion, so no depth
 * limit). Symbolic links are reported, never followed; only entries of unknown type cost an extra lstat.
 * Per-entry work is kept to one string: this loop runs for every file of a 100 000-file tree.
 */
export async function walkTree(root: string, concurrency: number): Promise<WalkResult> {
  const result: WalkResult = { files: [], symlinks: [], unreadable: [], directories: 0 };
  const queue: string[] = [''];
  let active = 0;

  await new Promise<void>((resolve, reject) => {
    const pump = () => {
      if (queue.length === 0 && active === 0) return resolve();
      while (active < concurrency && queue.length > 0) {
        const relativeDir = queue.pop()!;
        active++;
        readDirectory(root, relativeDir, queue, result)
          .then(() => {
            active--;
            pump();
          })
          .catch(reject);
      }
    };
    pump();
  });
  return result;
}

async function readDirectory(root: string, relativeDir: string, queue: string[], result: WalkResult) {
  const prefix = relativeDir ? `${relativeDir}/` : '';
  let entries: Dirent[];
  try {
    entries = await readdir(relativeDir ? `${root}/${relativeDir}` : root, { withFileTypes: true });
  } catch (error) {
    result.unreadable.push({ relativePath: relativeDir || '.', error: (error as Error).message });
    return;
  }
  result.directories++;
  for (const entry of entries) {
    const relativePath = prefix + entry.name;
    if (entry.isFile()) result.files.push(relativePath);
    else if (entry.isDirectory()) queue.push(relativePath);
    else if (entry.isSymbolicLink()) result.symlinks.push(relativePath);
    else if (entry.isBlockDevice() || entry.isCharacterDevice() || entry.isFIFO() || entry.isSocket()) continue;
    else await classifyUnknown(root, relativePath, queue, result);
  }
}

/** Some filesystems do not report entry types in directory listings. */
async function classifyUnknown(root: string, relativePath: string, queue: string[], result: WalkResult) {
  const stats = await lstat(`${root}/${relativePath}`).catch(() => undefined);
  if (stats?.isSymbolicLink()) result.symlinks.push(relativePath);
  else if (stats?.isDirectory()) queue.push(relativePath);
  else if (stats?.isFile()) result.files.push(relativePath);
}
