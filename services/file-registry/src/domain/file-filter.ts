/** Why a file name is ignored before its place in the tree is even looked at. */
export type FilterReason = 'TEMPORARY' | 'EXTENSION';

/** Office lock files (`~$report.xlsx`) and partial downloads (`*.tmp`) are never reports. */
export function isTemporaryName(name: string): boolean {
  return name.startsWith('~$') || name.toLowerCase().endsWith('.tmp');
}

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

export function filterFileName(name: string, extensions: ReadonlySet<string>): FilterReason | undefined {
  if (isTemporaryName(name)) return 'TEMPORARY';
  if (!extensions.has(extensionOf(name))) return 'EXTENSION';
  return undefined;
}
