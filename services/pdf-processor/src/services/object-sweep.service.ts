import {
  deleteObjectRevision,
  EVENTS,
  isNotFound,
  type NatsContext,
  nextMessageOn,
  objectStoreLayout,
} from '@pharma/shared/messaging';
import {
  type BucketEntry,
  isPastGrace,
  planObjectSweep,
  type References,
  unownedChunkSets,
} from '../domain/object-sweep.js';
import { logicalBucket } from './statement-pdf.service.js';

/** The bucket the scraper puts statement PDFs into (the logical name its events carry). */
export const STATEMENTS_BUCKET = 'statements';

export interface ObjectSweepDeps {
  nats: NatsContext;
  /** Logical bucket name. */
  bucket: string;
  /** Durable name (logical) of the consumer of `sobrus.statement.pdf.ready` that deletes what it parsed. */
  durable: string;
  graceMs: number;
  now?: () => number;
  /** Stops the sweep between two requests (the service closing). */
  signal?: AbortSignal;
}

export interface SweepResult {
  /** Names in the bucket (objects and deletion markers). */
  entries: number;
  /** `pdf.ready` messages past the consumer's ack floor, read for the names they refer to. */
  pendingMessages: number;
  /** Objects deleted. */
  deleted: number;
  /** Objects put again or deleted by someone else between the look and the delete (left alone). */
  changed: number;
  markersDropped: number;
  chunkSetsPurged: number;
  young: number;
  referenced: number;
  /** A pending message could not be read: no object was deleted. */
  referencesUnknown: boolean;
}

const READY = 'sobrus.statement.pdf.ready';

/**
 * Removes from the statements bucket what no pending message refers to: objects whose event was lost (a scraper
 * killed between its put and its event, an event taken for a duplicate of one already parsed, a message given
 * up), deletion markers, and chunks no object owns. See `planObjectSweep` for the rule. Every removal is
 * conditional on the version judged, so a name put again meanwhile is never touched.
 */
export async function sweepStatementObjects(deps: ObjectSweepDeps): Promise<SweepResult> {
  const { nats } = deps;
  const layout = objectStoreLayout(nats, deps.bucket);
  const result: SweepResult = {
    entries: 0,
    pendingMessages: 0,
    deleted: 0,
    changed: 0,
    markersDropped: 0,
    chunkSetsPurged: 0,
    young: 0,
    referenced: 0,
    referencesUnknown: false,
  };
  if (!(await streamExists(nats, layout.stream))) return result;
  // References first: a message acknowledged while the bucket is read then still counts (kept one round more).
  const { references, messages } = await pendingReferences(deps);
  const { entries, unreadable } = await readEntries(nats, layout, deps.signal);
  const chunkInfo = await nats.jsm.streams.info(layout.stream, { subjects_filter: layout.allChunks });
  const chunkNuids = Object.keys(chunkInfo.state.subjects ?? {}).map(layout.nuidOf);
  const now = (deps.now ?? Date.now)();
  const plan = planObjectSweep({ now, graceMs: deps.graceMs, entries, references });
  Object.assign(result, {
    entries: entries.length,
    pendingMessages: messages,
    young: plan.young,
    referenced: plan.referenced,
    referencesUnknown: references === 'unknown',
  });

  for (const entry of plan.objects) {
    deps.signal?.throwIfAborted();
    const outcome = await deleteObjectRevision(nats, deps.bucket, entry);
    if (outcome === 'deleted') result.deleted += 1;
    else result.changed += 1;
  }
  for (const marker of plan.markers) {
    deps.signal?.throwIfAborted();
    // Up to and including the marker's own message: a put of the name since (a later sequence) stays.
    await nats.jsm.streams.purge(layout.stream, { filter: layout.metaSubject(marker.name), seq: marker.revision + 1 });
    result.markersDropped += 1;
  }
  // An unread meta message may own any chunk set: then none is judged.
  const orphans = unreadable ? [] : unownedChunkSets(chunkNuids, entries);
  for (const nuid of orphans) {
    deps.signal?.throwIfAborted();
    const last = await nats.jsm.streams.getMessage(layout.stream, { last_by_subj: layout.chunkSubject(nuid) });
    if (!last || !isPastGrace(last.time.getTime(), now, deps.graceMs)) continue;
    await nats.jsm.streams.purge(layout.stream, { filter: layout.chunkSubject(nuid) });
    result.chunkSetsPurged += 1;
  }
  return result;
}

async function streamExists(nats: NatsContext, stream: string): Promise<boolean> {
  try {
    await nats.jsm.streams.info(stream);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

/**
 * Names referred to by the `pdf.ready` messages past the consumer's ack floor: every message at or below it was
 * acknowledged (or given up), so none of those will read an object again; above it, some may be acknowledged
 * already (out of order), and are counted all the same.
 */
async function pendingReferences(deps: ObjectSweepDeps): Promise<{ references: References; messages: number }> {
  const { nats } = deps;
  const stream = nats.resource(EVENTS[READY].stream);
  const consumer = await nats.jsm.consumers.info(stream, nats.resource(deps.durable));
  const subject = nats.subject(READY);
  const names = new Set<string>();
  let unreadable = false;
  let messages = 0;
  for (let seq = consumer.ack_floor.stream_seq + 1; ; ) {
    deps.signal?.throwIfAborted();
    const message = await nextMessageOn(nats, stream, subject, seq);
    if (!message) break;
    messages += 1;
    seq = message.seq + 1;
    const object = readObjectRef(message);
    if (!object) unreadable = true;
    else if (logicalBucket(nats, object.bucket) === deps.bucket) names.add(object.name);
  }
  return { references: unreadable ? 'unknown' : names, messages };
}

function readObjectRef(message: { json<T>(): T }): { bucket: string; name: string } | undefined {
  try {
    const object = message.json<{ object?: { bucket?: unknown; name?: unknown } }>()?.object;
    if (typeof object?.bucket === 'string' && typeof object.name === 'string') {
      return { bucket: object.bucket, name: object.name };
    }
  } catch {
    // not JSON: the consumer terminates it, and until then nothing is known to be free
  }
  return undefined;
}

function readMeta(message: { json<T>(): T }): Pick<BucketEntry, 'name' | 'nuid' | 'deleted'> | undefined {
  try {
    const meta = message.json<{ name?: unknown; nuid?: unknown; deleted?: unknown }>();
    if (typeof meta?.name === 'string' && typeof meta.nuid === 'string') {
      return { name: meta.name, nuid: meta.nuid, deleted: meta.deleted === true };
    }
  } catch {
    // not JSON
  }
  return undefined;
}

/** The current version of every name in the bucket, deletion markers included (one meta message per name). */
async function readEntries(
  nats: NatsContext,
  layout: ReturnType<typeof objectStoreLayout>,
  signal: AbortSignal | undefined,
): Promise<{ entries: BucketEntry[]; unreadable: number }> {
  const entries: BucketEntry[] = [];
  let unreadable = 0;
  for (let seq = 1; ; ) {
    signal?.throwIfAborted();
    const message = await nextMessageOn(nats, layout.stream, layout.allMetas, seq);
    if (!message) break;
    seq = message.seq + 1;
    const meta = readMeta(message);
    // A meta message this sweep cannot read is not judged (its name is simply left alone).
    if (meta) entries.push({ ...meta, revision: message.seq, storedAt: message.time.getTime() });
    else unreadable += 1;
  }
  return { entries, unreadable };
}
