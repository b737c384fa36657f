import { constants } from 'node:fs';
import { access, readdir, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { ENTRY_NAMES, isSafeSegment, legacyEntryName, type ScriptKind, scriptKindOf } from '../domain/script-name.js';

export interface ResolvedScript {
  path: string;
  kind: ScriptKind;
  /** Size and mtime: a changed script is imported afresh by the workers. */
  version: string;
}

export interface ScriptLookup {
  provider: string | null;
  client: string | null;
  reportType: string | null;
}

/**
 * Finds the client's conversion script: `<scripts>/<provider>/<client>/<report type>/convert.*` first, then
 * `<scripts>/<provider>/<client>/convert.*`, then the original tool's `<scripts>/<provider>/<client>/<client>_processing.py`,
 * else the only script file of that folder. Names from the registry are single folder names, and the real path of
 * the script must stay inside the scripts folder (no symlink out).
 */
export async function resolveScript(scriptsDir: string, lookup: ScriptLookup): Promise<ResolvedScript | undefined> {
  if (!isSafeSegment(lookup.provider) || !isSafeSegment(lookup.client)) return undefined;
  let root: string;
  try {
    root = await realpath(scriptsDir);
  } catch {
    return undefined;
  }
  const folders = new Map<string, string | undefined>();
  for (const provider of spellings(lookup.provider)) {
    for (const client of spellings(lookup.client)) {
      if (isSafeSegment(lookup.reportType)) {
        for (const reportType of spellings(lookup.reportType)) {
          folders.set(join(root, provider, client, reportType), undefined);
        }
      }
      folders.set(join(root, provider, client), legacyEntryName(client));
    }
  }
  for (const [folder, legacyName] of folders) {
    const found = await scriptIn(root, folder, legacyName);
    if (found) return found;
  }
  return undefined;
}

async function scriptIn(root: string, folder: string, legacyName?: string): Promise<ResolvedScript | undefined> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return undefined;
  }
  const ordered: string[] = ENTRY_NAMES.filter((name) => names.includes(name));
  if (legacyName && names.includes(legacyName)) ordered.push(legacyName);
  if (ordered.length === 0) {
    const candidates = names.filter((name) => !name.startsWith('.') && !name.startsWith('_'));
    if (candidates.length === 1 && candidates[0]) ordered.push(candidates[0]);
  }
  for (const name of ordered) {
    const checked = await inside(root, join(folder, name));
    if (checked) return checked;
  }
  return undefined;
}

async function inside(root: string, candidate: string): Promise<ResolvedScript | undefined> {
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    return undefined;
  }
  if (!real.startsWith(root + sep)) return undefined;
  const info = await stat(real);
  if (!info.isFile()) return undefined;
  const kind = scriptKindOf(real);
  if (kind === 'executable') {
    try {
      await access(real, constants.X_OK);
    } catch {
      return undefined;
    }
  }
  return { path: real, kind, version: `${info.size}-${info.mtimeMs}` };
}

// Folder names may arrive NFC or NFD (files copied from macOS): try both spellings.
const spellings = (name: string) => unique([name, name.normalize('NFC'), name.normalize('NFD')]);
const unique = <T>(items: T[]) => [...new Set(items)];

export type ScriptLookupCache = (lookup: ScriptLookup) => Promise<ResolvedScript | undefined>;

/** How long a script found is trusted before it is checked again (still a file, its version). */
const RECHECK_AFTER_MS = 1_000;

/**
 * `resolveScript` remembered for one run: a client's script is looked up once (folder listings, real paths), then
 * only checked again (one stat: still a file, its version) when last checked over a second ago, so thousands of
 * tasks of one client cost a stat a second, not one each. A script that disappears is looked up afresh; an edited
 * one is imported afresh within a second; one added in a more specific folder during a run is found by the next
 * run.
 */
export function cachedScriptLookup(scriptsDir: string, now: () => number = Date.now): ScriptLookupCache {
  const known = new Map<string, { script: ResolvedScript; checkedAt: number }>();
  return async (lookup) => {
    const key = JSON.stringify([lookup.provider, lookup.client, lookup.reportType]);
    const cached = known.get(key);
    if (cached && now() - cached.checkedAt < RECHECK_AFTER_MS) return cached.script;
    if (cached) {
      const info = await stat(cached.script.path).catch(() => undefined);
      if (info?.isFile()) {
        const script = { ...cached.script, version: `${info.size}-${info.mtimeMs}` };
        known.set(key, { script, checkedAt: now() });
        return script;
      }
      known.delete(key);
    }
    const found = await resolveScript(scriptsDir, lookup);
    if (found) known.set(key, { script: found, checkedAt: now() });
    return found;
  };
}
