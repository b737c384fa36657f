// Which entries of the statements bucket nothing can need any more. Pure: the sweep service gathers the facts
// (what the bucket holds, which names the unacknowledged `sobrus.statement.pdf.ready` messages refer to, the
// time) and carries out the plan with conditional deletes.

/** The current version of a name in the bucket: an object, or the marker its deletion left. */
export interface BucketEntry {
  name: string;
  /** Stream sequence of its meta message: a put or a delete since gives another revision. */
  revision: number;
  nuid: string;
  deleted: boolean;
  /** When the server stored that meta message (ms since the epoch). */
  storedAt: number;
}

/**
 * Names referred to by every `pdf.ready` message the processor may still handle (those past its consumer's ack
 * floor: not yet delivered, in flight, or waiting for a redelivery), or `unknown` when one of them could not be
 * read (then no name is known to be free).
 */
export type References = ReadonlySet<string> | 'unknown';

export interface SweepPlan {
  /** Objects to delete (each only if still at this revision). */
  objects: BucketEntry[];
  /** Deletion markers to drop (the name then reads as never stored, which every reader treats the same). */
  markers: BucketEntry[];
  /** Entries kept because they are younger than the grace period. */
  young: number;
  /** Entries kept because a pending message refers to their name (or one could not be read). */
  referenced: number;
}

/**
 * An entry is removed only when both hold: it was stored longer ago than `graceMs` (longer than a scraper can
 * take between its put and its event, so an event on its way is not missed), and no message the processor may
 * still handle names it. An entry at the grace boundary, or with a clock behind it, is kept.
 */
export function planObjectSweep(input: {
  now: number;
  graceMs: number;
  entries: readonly BucketEntry[];
  references: References;
}): SweepPlan {
  const plan: SweepPlan = { objects: [], markers: [], young: 0, referenced: 0 };
  for (const entry of input.entries) {
    if (!isPastGrace(entry.storedAt, input.now, input.graceMs)) plan.young += 1;
    else if (input.references === 'unknown' || input.references.has(entry.name)) plan.referenced += 1;
    else if (entry.deleted) plan.markers.push(entry);
    else plan.objects.push(entry);
  }
  return plan;
}

/**
 * Chunk sets that no current object owns: left by a put that failed half way (NATS gone before its meta message,
 * and the client could not purge them), or by a delete or replacement whose purge did not run. They still need
 * to be past the grace period (a put in progress writes its chunks before its meta message).
 */
export function unownedChunkSets(chunkNuids: readonly string[], entries: readonly BucketEntry[]): string[] {
  const owned = new Set(entries.filter((entry) => !entry.deleted).map((entry) => entry.nuid));
  return chunkNuids.filter((nuid) => !owned.has(nuid));
}

export function isPastGrace(storedAt: number, now: number, graceMs: number): boolean {
  return now - storedAt > graceMs;
}
