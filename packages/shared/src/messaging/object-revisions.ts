import { JetStreamApiCodes, JetStreamApiError, JsHeaders, PubHeaders } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/nats-core';
import { Base64UrlPaddedCodec } from '@nats-io/obj';
import type { NatsContext } from './connection.js';

// An object store bucket is a stream: one meta message per name (`$O.<bucket>.M.<name, base64url>`, rolled up to
// its last version) and the chunks of each version under `$O.<bucket>.C.<nuid>`. The meta message's stream
// sequence is the version's `revision`. The client's own `delete(name)` removes whatever version is current
// when it runs; the helpers below act on one version only, so a version put in the meantime is never touched.

/** The stream and subjects behind a logical bucket (the `NATS_PREFIX` applied as `openObjectStore` does). */
export function objectStoreLayout(ctx: NatsContext, bucket: string) {
  const name = ctx.resource(bucket);
  return {
    stream: `OBJ_${name}`,
    metaSubject: (objectName: string) => `$O.${name}.M.${Base64UrlPaddedCodec.encode(objectName)}`,
    allMetas: `$O.${name}.M.>`,
    chunkSubject: (nuid: string) => `$O.${name}.C.${nuid}`,
    allChunks: `$O.${name}.C.>`,
    /** The nuid of a chunk subject. */
    nuidOf: (chunkSubject: string) => chunkSubject.slice(`$O.${name}.C.`.length),
  };
}

/** One version of an object, as `ObjectStore.info` or `put` describe it. */
export interface ObjectVersion {
  name: string;
  nuid: string;
  revision: number;
  mtime?: string;
  options?: unknown;
  description?: string;
  metadata?: Record<string, string>;
}

export type RevisionDelete = 'deleted' | 'changed';

/**
 * Deletes `version` of an object only while it is still the current one: the deletion marker (what the client's
 * `delete` writes) is published on the condition that the name's last meta message is this revision, then the
 * version's chunks are purged. Answers `changed` (and touches nothing) when the name was put again, or deleted,
 * since that revision.
 */
export async function deleteObjectRevision(
  ctx: NatsContext,
  bucket: string,
  version: ObjectVersion,
): Promise<RevisionDelete> {
  const layout = objectStoreLayout(ctx, bucket);
  const marker = {
    name: version.name,
    description: version.description ?? '',
    options: version.options,
    metadata: version.metadata,
    bucket: ctx.resource(bucket),
    nuid: version.nuid,
    size: 0,
    chunks: 0,
    digest: '',
    deleted: true,
    mtime: version.mtime ?? new Date().toISOString(),
  };
  const headers = natsHeaders();
  headers.set(JsHeaders.RollupHdr, JsHeaders.RollupValueSubject);
  headers.set(PubHeaders.ExpectedLastSubjectSequenceHdr, String(version.revision));
  try {
    await ctx.js.publish(layout.metaSubject(version.name), JSON.stringify(marker), { headers });
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamWrongLastSequence) {
      return 'changed';
    }
    throw error;
  }
  await ctx.jsm.streams.purge(layout.stream, { filter: layout.chunkSubject(version.nuid) });
  return 'deleted';
}
