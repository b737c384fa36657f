export interface HeaderDifference {
  missing: string[];
  unexpected: string[];
  duplicated: string[];
}

/** Compares an output's header with the target one: same names, each once (order is free: loading is by name). */
export function compareHeader(actual: readonly string[], expected: readonly string[]): HeaderDifference | undefined {
  const names = actual.map((name) => name.trim());
  const seen = new Set<string>();
  const duplicated = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) duplicated.add(name);
    seen.add(name);
  }
  const wanted = new Set(expected);
  const missing = expected.filter((name) => !seen.has(name));
  const unexpected = [...seen].filter((name) => !wanted.has(name));
  if (missing.length === 0 && unexpected.length === 0 && duplicated.size === 0) return undefined;
  return { missing, unexpected, duplicated: [...duplicated] };
}

export function describeDifference(difference: HeaderDifference): string {
  const parts: string[] = [];
  if (difference.missing.length > 0) parts.push(`missing: ${difference.missing.join(', ')}`);
  if (difference.unexpected.length > 0) parts.push(`unexpected: ${difference.unexpected.join(', ')}`);
  if (difference.duplicated.length > 0) parts.push(`duplicated: ${difference.duplicated.join(', ')}`);
  return parts.join('; ');
}
