import { type KV, Kvm, type KvOptions } from '@nats-io/kv';
import { type ObjectStore, type ObjectStoreOptions, Objm } from '@nats-io/obj';
import type { NatsContext } from './connection.js';

export type { KV, ObjectStore };

export async function openKv(ctx: NatsContext, bucket: string, options: Partial<KvOptions> = {}): Promise<KV> {
  return new Kvm(ctx.js).create(ctx.resource(bucket), options);
}

export async function openObjectStore(
  ctx: NatsContext,
  bucket: string,
  options: Partial<ObjectStoreOptions> = {},
): Promise<ObjectStore> {
  return new Objm(ctx.js).create(ctx.resource(bucket), options);
}

/** A bucket's `ttl` as NATS takes it (nanoseconds), from days. */
export function ttlOfDays(days: number): number {
  return days * 86_400 * 1e9;
}

/** An object store opened on first use and kept open; an open that failed is tried again on the next use. */
export function lazyObjectStore(
  ctx: NatsContext,
  bucket: string,
  options: Partial<ObjectStoreOptions> = {},
): () => Promise<ObjectStore> {
  let store: Promise<ObjectStore> | undefined;
  return () => {
    if (!store) {
      store = openObjectStore(ctx, bucket, options);
      store.catch(() => {
        store = undefined;
      });
    }
    return store;
  };
}
