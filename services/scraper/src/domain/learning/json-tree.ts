/** A position in a JSON value: object keys and array indexes, from the root. */
export type JsonPath = (string | number)[];

export type JsonPrimitive = string | number | boolean | null;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function valueAt(root: unknown, path: JsonPath): unknown {
  let value = root;
  for (const step of path) {
    if (Array.isArray(value) && typeof step === 'number') value = value[step];
    else if (isObject(value) && typeof step === 'string') value = value[step];
    else return undefined;
  }
  return value;
}

/** Every array in a JSON value, with its path (arrays inside arrays included). */
export function* arraysIn(root: unknown, path: JsonPath = []): Generator<[JsonPath, unknown[]]> {
  if (Array.isArray(root)) {
    yield [path, root];
    for (const [index, item] of root.entries()) yield* arraysIn(item, [...path, index]);
  } else if (isObject(root)) {
    for (const [key, item] of Object.entries(root)) yield* arraysIn(item, [...path, key]);
  }
}

/**
 * Primitive leaves of a JSON value with their paths, objects followed to `maxDepth` levels. With `skip`, the
 * subtree at that path is left out (the list inside an envelope).
 */
export function* leavesOf(
  root: unknown,
  options: { maxDepth?: number; skip?: JsonPath; intoArrays?: boolean } = {},
  path: JsonPath = [],
): Generator<[JsonPath, JsonPrimitive]> {
  if (options.skip && samePath(path, options.skip)) return;
  if (root === null || ['string', 'number', 'boolean'].includes(typeof root)) {
    yield [path, root as JsonPrimitive];
    return;
  }
  if (path.length >= (options.maxDepth ?? 8)) return;
  if (Array.isArray(root)) {
    if (options.intoArrays === false) return;
    for (const [index, item] of root.entries()) yield* leavesOf(item, options, [...path, index]);
  } else if (isObject(root)) {
    for (const [key, item] of Object.entries(root)) yield* leavesOf(item, options, [...path, key]);
  }
}

export const samePath = (a: JsonPath, b: JsonPath) => a.length === b.length && a.every((step, i) => step === b[i]);

export const pathKey = (path: JsonPath) => JSON.stringify(path);

/** A copy of `root` with the value at `path` replaced (objects and arrays on the way are copied). */
export function withValueAt(root: unknown, path: JsonPath, value: unknown): unknown {
  if (path.length === 0) return value;
  const [step, ...rest] = path;
  if (Array.isArray(root) && typeof step === 'number') {
    const copy = [...root];
    copy[step] = withValueAt(root[step], rest, value);
    return copy;
  }
  const base = isObject(root) ? root : {};
  return { ...base, [String(step)]: withValueAt(base[String(step)], rest, value) };
}

/** How a text is compared with what the page shows: NFC, case and runs of white space ignored. */
export function normalizeText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value).normalize('NFC').replace(/\s+/gu, ' ').trim().toLocaleLowerCase('fr');
}
