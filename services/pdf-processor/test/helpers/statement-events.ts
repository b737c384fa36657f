import { createHash } from 'node:crypto';
import type { Msg } from '@nats-io/nats-core';
import { publishEvent } from '@pharma/shared/messaging';
import { eventually, type TestNats } from '@pharma/testkit';

export interface StatementResult {
  subject: 'sobrus.statement.parsed' | 'sobrus.statement.failed';
  payload: Record<string, unknown> & { layoutDump?: { bucket: string; name: string; size: number } };
}

export interface StatementResults {
  /** Every `sobrus.statement.parsed` and `sobrus.statement.failed` under the test's prefix, in arrival order. */
  readonly received: StatementResult[];
  /** The first result for a customer, once it has arrived. */
  resultFor(clientKey: string, timeoutMs?: number): Promise<StatementResult>;
  stop(): void;
}

/** Listens (core NATS, from now on) to the statement results the pdf-processor publishes. */
export function listenToResults(nats: TestNats): StatementResults {
  const received: StatementResult[] = [];
  const subscription = nats.ctx.nc.subscribe(nats.ctx.subject('sobrus.statement.*'), {
    callback: (_error: Error | null, msg: Msg) => {
      const subject = msg.subject.slice(nats.prefix.length + 1);
      if (subject === 'sobrus.statement.parsed' || subject === 'sobrus.statement.failed') {
        received.push({ subject, payload: msg.json() });
      }
    },
  });
  return {
    received,
    resultFor: (clientKey, timeoutMs = 30_000) =>
      eventually(
        () => {
          const found = received.find((message) => message.payload.clientKey === clientKey);
          if (!found) throw new Error('no result yet');
          return found;
        },
        { timeoutMs },
      ),
    stop: () => subscription.unsubscribe(),
  };
}

export interface PdfAnnouncement {
  bucket: string;
  /** The object's name in the bucket. */
  name: string;
  /** The bytes announced: their size and SHA-256 go in the event. */
  data: Uint8Array;
  clientKey: string;
  jobId?: string;
  customerName?: string;
  from: string;
  to: string;
  downloadedAt?: Date;
  correlationId?: string;
}

/** Publishes `sobrus.statement.pdf.ready` as the scraper does once a PDF is in the object store; answers its SHA-256. */
export async function announcePdf(nats: TestNats, pdf: PdfAnnouncement): Promise<string> {
  const sha256 = createHash('sha256').update(pdf.data).digest('hex');
  await publishEvent(
    nats.ctx,
    'sobrus.statement.pdf.ready',
    {
      jobId: pdf.jobId ?? 'job-1',
      pharmacyId: 'pharmacie@example.ma',
      clientKey: pdf.clientKey,
      customerName: pdf.customerName ?? 'Amine Tazi',
      from: pdf.from,
      to: pdf.to,
      object: { bucket: pdf.bucket, name: pdf.name, size: pdf.data.byteLength, sha256 },
      downloadedAt: (pdf.downloadedAt ?? new Date()).toISOString(),
      ...(pdf.correlationId ? { correlationId: pdf.correlationId } : {}),
    },
    { msgId: `ready-${pdf.clientKey}-${sha256}` },
  );
  return sha256;
}
