import type { MsgRequest, StoredMsg } from '@nats-io/jetstream';
import type { NatsContext } from './connection.js';

export type { StoredMsg };

/**
 * The first message of `stream` on `subject` (wildcards allowed) at or after sequence `seq`, or null: a plain
 * `STREAM.MSG.GET` with `next_by_subj` (NATS 2.9), so reading a few messages of a stream creates no consumer.
 * `stream` is the name as on the server (prefix applied).
 */
export function nextMessageOn(
  ctx: NatsContext,
  stream: string,
  subject: string,
  seq: number,
): Promise<StoredMsg | null> {
  // The client's `MsgRequest` type leaves out the `next_by_subj` form the server has answered since 2.9.
  const query = { seq, next_by_subj: subject } as unknown as MsgRequest;
  return ctx.jsm.streams.getMessage(stream, query);
}
