/** Exponential backoff with full jitter on the upper half, bounded by `maxMs`. */
export function backoffDelay(failures: number, minMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
