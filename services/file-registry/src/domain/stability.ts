/** Size and modification time of a file as seen by one stat call. */
export interface FileObservation {
  size: number;
  mtimeMs: number;
}

/**
 * A file untouched for the settle window is stable on one observation; a younger one must look the same on a
 * second observation taken at least the window later (a writer still appending changes its size or mtime).
 */
export function isSettled(observation: FileObservation, nowMs: number, stableAfterMs: number): boolean {
  return nowMs - observation.mtimeMs >= stableAfterMs;
}

export function isUnchanged(first: FileObservation, second: FileObservation): boolean {
  return first.size === second.size && first.mtimeMs === second.mtimeMs;
}

/** How long to wait so that every young file has gone a full window without a write, if it stays untouched. */
export function recheckDelayMs(young: readonly FileObservation[], nowMs: number, stableAfterMs: number): number {
  let delay = 0;
  for (const observation of young) {
    const remaining = Math.min(stableAfterMs, observation.mtimeMs + stableAfterMs - nowMs);
    if (remaining > delay) delay = remaining;
  }
  return Math.max(0, Math.ceil(delay));
}
