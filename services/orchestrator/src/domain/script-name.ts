/** A folder name taken from the registry may only name one folder: no separators, no dot segments, no NUL. */
export function isSafeSegment(name: string | null | undefined): name is string {
  if (!name) return false;
  if (name === '.' || name === '..') return false;
  return !/[/\\\0]/.test(name);
}

/** Entry names looked up in a client's folder, in order. */
export const ENTRY_NAMES = ['convert.ts', 'convert.mts', 'convert.js', 'convert.mjs', 'convert.py', 'convert'] as const;

/**
 * The original tool's layout, accepted beside ours: `<provider>/<Client>/<Client>_processing.py`, in the client's
 * folder (looked up after `convert.*`).
 */
export const legacyEntryName = (client: string) => `${client}_processing.py`;

export type ScriptKind = 'module' | 'python' | 'executable';

export function scriptKindOf(fileName: string): ScriptKind {
  if (/\.(ts|mts|js|mjs)$/i.test(fileName)) return 'module';
  if (/\.py$/i.test(fileName)) return 'python';
  return 'executable';
}
