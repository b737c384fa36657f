import { DiscardPolicy, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { NatsContext } from './connection.js';
import { STREAMS, type StreamName } from './subjects.js';

const DAY_NS = 86_400 * 1_000_000_000;

/** Creates the streams (or brings their config up to date). Safe to call from every service at start. */
export async function ensureStreams(ctx: NatsContext, names: StreamName[] = Object.keys(STREAMS) as StreamName[]) {
  for (const name of names) {
    const definition = STREAMS[name];
    const config = {
      name: ctx.resource(name),
      subjects: definition.subjects.map((subject) => ctx.subject(subject)),
      description: definition.description,
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      max_age: definition.maxAgeDays * DAY_NS,
      duplicate_window: 2 * 60 * 1_000_000_000,
      num_replicas: 1,
    };
    try {
      await ctx.jsm.streams.info(config.name);
      await ctx.jsm.streams.update(config.name, config);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await ctx.jsm.streams.add(config).catch(async (addError: unknown) => {
        // Another service created it between our info and add.
        if (!String(addError).includes('already in use')) throw addError;
      });
    }
  }
}

export function isNotFound(error: unknown): boolean {
  const text = String((error as { message?: string })?.message ?? error);
  return /not found/i.test(text);
}
