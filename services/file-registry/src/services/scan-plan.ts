import type { FileStatus } from '../db/schema.js';
import { filterFileName } from '../domain/file-filter.js';
import { type ParsedFilePath, type PathParseResult, parseFilePath } from '../domain/file-path.parser.js';
import type { ProviderFolders } from '../domain/provider-folders.js';
import type { WalkResult } from '../scanner/tree-walker.js';
import type { SkippedPath } from './scan.types.js';

export interface Candidate {
  filePath: string;
  parsed: ParsedFilePath;
  /** Registered once, marked DELETE, and back on disk: registered again as NEW under its old id. */
  reappeared: boolean;
}

export interface ScanPlan {
  /** Files not registered yet whose path fits the tree: they still need a stability check. */
  candidates: Candidate[];
  skippedByFilter: number;
  skippedByStructure: SkippedPath[];
  /** Registered files gone from disk (never those below a folder that could not be read). */
  vanished: string[];
}

/** Sorts what the walk found against what is registered; no I/O, so a rescan of an unchanged tree is cheap. */
export function planScan(
  walk: WalkResult,
  known: ReadonlyMap<string, FileStatus>,
  providers: ProviderFolders,
  extensions: ReadonlySet<string>,
): ScanPlan {
  const plan: ScanPlan = { candidates: [], skippedByFilter: 0, skippedByStructure: [], vanished: [] };
  // What a path says depends only on its folder: parse each folder once, not each of its files.
  const byFolder = new Map<string, PathParseResult>();
  let presentKnown = 0;
  for (const filePath of walk.files) {
    if (filterFileName(filePath.slice(filePath.lastIndexOf('/') + 1), extensions)) {
      plan.skippedByFilter++;
      continue;
    }
    const status = known.get(filePath);
    if (status !== undefined && status !== 'DELETE') {
      presentKnown++;
      continue;
    }
    const folder = filePath.slice(0, Math.max(0, filePath.lastIndexOf('/')));
    let parsed = byFolder.get(folder);
    if (parsed === undefined) {
      parsed = parseFilePath(filePath.split('/'), providers);
      byFolder.set(folder, parsed);
    }
    if (parsed.ok) plan.candidates.push({ filePath, parsed: parsed.value, reappeared: status === 'DELETE' });
    else plan.skippedByStructure.push({ path: filePath, reason: parsed.reason, message: parsed.message });
  }
  // The usual rescan finds every registered file where it was: no need to look for the missing ones.
  let active = 0;
  for (const status of known.values()) if (status !== 'DELETE') active++;
  if (presentKnown < active) plan.vanished = findVanished(walk, known);
  return plan;
}

function findVanished(walk: WalkResult, known: ReadonlyMap<string, FileStatus>): string[] {
  if (known.size === 0) return [];
  const present = new Set(walk.files);
  for (const link of walk.symlinks) present.add(link);
  const unreadable = walk.unreadable.map((u) => (u.relativePath === '.' ? '' : `${u.relativePath}/`));
  const vanished: string[] = [];
  for (const [filePath, status] of known) {
    if (status === 'DELETE' || present.has(filePath)) continue;
    if (unreadable.some((prefix) => filePath.startsWith(prefix))) continue;
    vanished.push(filePath);
  }
  return vanished;
}
