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
