import type { Static } from '@pharma/shared/config';
import {
  LAYOUT_DUMPS_BUCKET,
  LAYOUT_DUMPS_KEEP_DAYS,
  type LayoutDumpRef as LayoutDumpRefSchema,
  layoutDumpName,
} from '@pharma/shared/contracts';
import type { Log } from '@pharma/shared/logger';
import { type EventPayload, lazyObjectStore, type NatsContext, ttlOfDays } from '@pharma/shared/messaging';
import type { LayoutDump } from '../pdf/layout-dump.js';
import type { LayoutDumpOutcome } from '../worker/layout-dump.worker.js';
import type { ParseOutcome } from '../worker/parse-outcome.js';

export type LayoutDumpRef = Static<typeof LayoutDumpRefSchema>;
type PdfReady = EventPayload<'sobrus.statement.pdf.ready'>;

/** Rejections about the file rather than its layout (not a PDF, cut short, locked): nothing to show. */
const NOT_DUMPED = new Set(['NOT_PDF', 'TRUNCATED', 'ENCRYPTED']);

/** A statement we could not read: rejected while the PDF may still open, or parsed with balances that disagree. */
export function wantsLayoutDump(outcome: ParseOutcome): boolean {
  return outcome.ok ? outcome.statement.verdict === 'mismatch' : !NOT_DUMPED.has(outcome.code);
}

/** What is kept: the statement it belongs to, why it was not read, then the redacted layout. */
export interface StatementLayoutDocument extends LayoutDump {
  statement: { jobId: string; clientKey: string; from: string; to: string };
  /** The rejection (code and the parser's reason), or the verdict with where the anomalies are (no amounts). */
  outcome:
    | { code: string; reason: string }
    | { verdict: 'mismatch'; anomalies: { kind: string; page?: number; line?: number }[] };
  createdAt: string;
}

export interface LayoutDumpDeps {
  nats: NatsContext;
  /** Builds the dump in a parser thread (`ParserPool.dumpLayout`). */
  dumpLayout(data: Uint8Array): Promise<LayoutDumpOutcome>;
  now?: () => Date;
}

/**
 * Keeps the redacted layout of a statement we could not read in the `statement-layouts` bucket (30 days), under
 * one name per job, customer and period, and returns where for the result event. Never fails the statement: a
 * PDF pdfjs cannot open, or a store that refuses the object, gives no dump (logged), and the result goes out
 * without one.
 */
export function createLayoutDumpKeeper(deps: LayoutDumpDeps) {
  const now = deps.now ?? (() => new Date());
  const openStore = lazyObjectStore(deps.nats, LAYOUT_DUMPS_BUCKET, { ttl: ttlOfDays(LAYOUT_DUMPS_KEEP_DAYS) });

  return async function keepLayoutDump(
    payload: PdfReady,
    data: Uint8Array,
    outcome: ParseOutcome,
    log: Log,
  ): Promise<LayoutDumpRef | undefined> {
    if (!wantsLayoutDump(outcome)) return undefined;
    const built = await deps.dumpLayout(data);
    if (!built.ok) {
      log.info({ reason: built.reason }, 'no layout dump: the PDF cannot be opened');
      return undefined;
    }
    const { kind, version, ...layout } = built.dump;
    const document: StatementLayoutDocument = {
      kind,
      version,
      statement: { jobId: payload.jobId, clientKey: payload.clientKey, from: payload.from, to: payload.to },
      outcome: outcome.ok
        ? {
            verdict: 'mismatch',
            anomalies: outcome.statement.anomalies.map(({ kind, page, line }) => ({
              kind,
              ...(page !== undefined ? { page } : {}),
              ...(line !== undefined ? { line } : {}),
            })),
          }
        : { code: outcome.code, reason: outcome.reason },
      createdAt: now().toISOString(),
      ...layout,
    };
    const name = layoutDumpName(payload);
    try {
      const info = await (await openStore()).putBlob(
        {
          name,
          metadata: {
            outcome: outcome.ok ? outcome.statement.verdict : outcome.code,
            via: built.dump.reader.via,
            ...(built.dump.producer ? { producer: built.dump.producer } : {}),
          },
        },
        new TextEncoder().encode(JSON.stringify(document)),
      );
      log.info({ layoutDump: name, size: info.size }, 'layout dump kept');
      return { bucket: LAYOUT_DUMPS_BUCKET, name, size: info.size };
    } catch (error) {
      log.warn({ err: error, layoutDump: name }, 'layout dump not kept');
      return undefined;
    }
  };
}

export type KeepLayoutDump = ReturnType<typeof createLayoutDumpKeeper>;
