import { createHash } from 'node:crypto';
import type { Log } from '@pharma/shared/logger';
import type { EventPayload, NatsContext, ObjectStore } from '@pharma/shared/messaging';
import { deleteObjectRevision, openObjectStore, publishEvent } from '@pharma/shared/messaging';
import { digestHex, replacedSinceAnnounced } from '../domain/object-version.js';
import type { ParseOutcome } from '../worker/parse-outcome.js';
import type { KeepLayoutDump, LayoutDumpRef } from './layout-dump.service.js';
import { createPdfReaderRecorder } from './pdf-reader.metrics.js';

export interface StatementPdfDeps {
  nats: NatsContext;
  parse(data: Uint8Array): Promise<ParseOutcome>;
  maxPdfBytes: number;
  now?: () => Date;
  /** Keeps the redacted layout of a statement we could not read (`layout-dump.service.ts`); none when absent. */
  keepLayoutDump?: KeepLayoutDump;
}

type PdfReady = EventPayload<'sobrus.statement.pdf.ready'>;

/**
 * Longest wait for a PDF's bytes. The object store reads them through a consumer that a NATS restart in the
 * middle of the read leaves waiting forever; the handler would then hold its message for good (it keeps
 * telling the server it is working). Past this, the read fails and the message comes back later.
 */
export const OBJECT_READ_TIMEOUT_MS = 30_000;

export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer from NATS after ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

export interface ProcessContext {
  deliveryCount: number;
  correlationId: string | undefined;
  logger: Log;
}

export type ProcessResult = 'parsed' | 'failed' | 'already_done' | 'superseded';

/**
 * Fetches a statement PDF from the object store, parses it in the pool, publishes `sobrus.statement.parsed`
 * or `sobrus.statement.failed`, and deletes the object once JetStream has acknowledged that publish (the
 * result is then durable in the stream: the PDF is no longer needed). Publishing is keyed on the statement
 * and the PDF's hash, so a redelivery has a single effect.
 */
export function createStatementPdfService(deps: StatementPdfDeps) {
  const stores = new Map<string, Promise<ObjectStore>>();
  const now = deps.now ?? (() => new Date());
  const recordReader = createPdfReaderRecorder();

  const storeFor = (logical: string) => {
    let store = stores.get(logical);
    if (!store) {
      store = openObjectStore(deps.nats, logical);
      stores.set(logical, store);
      store.catch(() => stores.delete(logical));
    }
    return store;
  };

  return async function processStatementPdf(payload: PdfReady, context: ProcessContext): Promise<ProcessResult> {
    const { object } = payload;
    const log = context.logger.child({ clientKey: payload.clientKey, object: object.name });
    const bucket = logicalBucket(deps.nats, object.bucket);
    const store = await storeFor(bucket);
    const info = await store.info(object.name);
    if (!info || info.deleted) {
      if (context.deliveryCount > 1) {
        // A previous delivery published the result and deleted the object, but its ack was lost.
        log.info({ deliveryCount: context.deliveryCount }, 'object already processed and deleted');
        return 'already_done';
      }
      await publishFailure(payload, 'OBJECT_MISSING', 'the PDF is not in the object store', context);
      return 'failed';
    }
    // Only the version read here is ever deleted: one put since (a retried download) is left to its own event,
    // or to the sweep when it has none.
    const remove = async () => {
      const outcome = await deleteObjectRevision(deps.nats, bucket, info);
      if (outcome === 'changed') log.info({ revision: info.revision }, 'object put again since it was read: kept');
    };
    if (info.size > deps.maxPdfBytes) {
      await publishFailure(payload, 'TOO_LARGE', `the PDF is ${info.size} bytes, over ${deps.maxPdfBytes}`, context);
      await remove();
      return 'failed';
    }
    const storedSha = digestHex(info.digest);
    if (storedSha !== object.sha256) {
      if (replacedSinceAnnounced(info, payload)) {
        log.info(
          { storedSha, mtime: info.mtime },
          'object replaced by a later download of the statement: its event parses it',
        );
        return 'superseded';
      }
      // Not deleted: under this name it may be a version another event announces; if none does, the sweep removes it.
      await publishFailure(
        payload,
        'CHECKSUM_MISMATCH',
        `the stored PDF hashes to ${storedSha ?? info.digest}`,
        context,
      );
      return 'failed';
    }
    const data = await withDeadline(store.getBlob(object.name), OBJECT_READ_TIMEOUT_MS, `reading ${object.name}`);
    if (!data) throw new Error(`object ${object.name} vanished while being read`);
    const sha256 = createHash('sha256').update(data).digest('hex');
    // Put again between the lookup and the read: the next delivery looks at the version now there.
    if (sha256 !== object.sha256) throw new Error(`object ${object.name} changed while being read`);
    const outcome = await deps.parse(data);
    recordReader(outcome, log);
    const layoutDump = await deps.keepLayoutDump?.(payload, data, outcome, log);
    let result: ProcessResult;
    if (outcome.ok) {
      await publishEvent(
        deps.nats,
        'sobrus.statement.parsed',
        {
          jobId: payload.jobId,
          pharmacyId: payload.pharmacyId,
          clientKey: payload.clientKey,
          customerName: payload.customerName,
          from: payload.from,
          to: payload.to,
          sourceSha256: sha256,
          downloadedAt: payload.downloadedAt,
          parsedAt: now().toISOString(),
          statement: outcome.statement,
          ...(payload.correlationId ? { correlationId: payload.correlationId } : {}),
          ...(layoutDump ? { layoutDump } : {}),
        },
        { msgId: statementMsgId('parsed', payload, sha256), correlationId: context.correlationId },
      );
      log.info(
        { verdict: outcome.statement.verdict, transactions: outcome.statement.transactions.length },
        'statement parsed',
      );
      result = 'parsed';
    } else {
      await publishFailure(payload, outcome.code, outcome.reason, context, sha256, layoutDump);
      result = 'failed';
    }
    await remove();
    return result;
  };

  async function publishFailure(
    payload: PdfReady,
    code: string,
    reason: string,
    context: ProcessContext,
    sha256 = payload.object.sha256,
    layoutDump?: LayoutDumpRef,
  ): Promise<void> {
    await publishEvent(
      deps.nats,
      'sobrus.statement.failed',
      {
        jobId: payload.jobId,
        pharmacyId: payload.pharmacyId,
        clientKey: payload.clientKey,
        from: payload.from,
        to: payload.to,
        code,
        reason,
        failedAt: now().toISOString(),
        ...(payload.correlationId ? { correlationId: payload.correlationId } : {}),
        ...(layoutDump ? { layoutDump } : {}),
      },
      { msgId: statementMsgId('failed', payload, sha256), correlationId: context.correlationId },
    );
    context.logger.warn(
      { clientKey: payload.clientKey, object: payload.object.name, code, reason },
      'statement rejected',
    );
  }
}

/** The event carries the logical bucket name; a producer that sent the prefixed one is tolerated. */
export function logicalBucket(nats: Pick<NatsContext, 'prefix'>, bucket: string): string {
  const prefix = nats.prefix ? `${nats.prefix}_` : '';
  return prefix && bucket.startsWith(prefix) ? bucket.slice(prefix.length) : bucket;
}

/** Natural key of a statement result: pharmacy, customer, period and the exact PDF bytes. */
export function statementMsgId(outcome: 'parsed' | 'failed', payload: PdfReady, sha256: string): string {
  return `pdf-${outcome}:${payload.pharmacyId}:${payload.clientKey}:${payload.from}:${payload.to}:${sha256}`;
}
