export interface NamedCustomer {
  clientKey: string;
  name: string;
}

/**
 * Names the seed-compatible tables use for each customer. They are keyed by `nom`, so customers sharing a
 * name (the identity is the client key) carry `Name (clientKey)` there; a unique name stays as it is.
 */
export function seedNames(customers: readonly NamedCustomer[]): Map<string, string> {
  const names = new Map(customers.map((c) => [c.clientKey, c.name.trim()]));
  const suffixed = new Set<string>();
  for (;;) {
    const byName = new Map<string, string[]>();
    for (const [key, name] of names) byName.set(name, [...(byName.get(name) ?? []), key]);
    const colliding = [...byName.values()].filter((keys) => keys.length > 1);
    if (colliding.length === 0) return names;
    let changed = false;
    for (const keys of colliding) {
      for (const key of keys) {
        if (suffixed.has(key)) continue;
        names.set(key, `${names.get(key)} (${key})`);
        suffixed.add(key);
        changed = true;
      }
    }
    // Only reachable when two already-suffixed names still collide, which distinct keys rule out.
    if (!changed) return names;
  }
}
