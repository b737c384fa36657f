import { Readable } from 'node:stream';
import { storageExportCsvRpc } from '@pharma/shared/contracts';
import { requestRpc } from '@pharma/shared/messaging';
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_TYPE = 'text/csv; charset=utf-8';

/** Marks the reply as a file to save under `fileName` (quotes removed: they would end the header's value). */
export function attachment(reply: FastifyReply, contentType: string, fileName: string): FastifyReply {
  return reply
    .header('content-type', contentType)
    .header('content-disposition', `attachment; filename="${fileName.replaceAll('"', '')}"`);
}

type StorageCsvRequest = Omit<Static<typeof storageExportCsvRpc.request>, 'cursor'>;

/**
 * Streams a storage-sync CSV export: the first chunk is asked before answering (so a missing customer or a service
 * down is still a clean error status), the next ones as the client reads, each one RPC under the NATS size limit.
 */
export async function sendStorageCsv(
  app: FastifyInstance,
  reply: FastifyReply,
  request: StorageCsvRequest,
  rpc: { timeoutMs: number },
): Promise<FastifyReply> {
  const ask = (cursor?: number) =>
    requestRpc(app.nats, storageExportCsvRpc, cursor === undefined ? request : { ...request, cursor }, rpc);
  const first = await ask();
  async function* chunks() {
    let chunk = first;
    yield chunk.text;
    while (chunk.nextCursor !== undefined) {
      chunk = await ask(chunk.nextCursor);
      yield chunk.text;
    }
  }
  return attachment(reply, first.contentType, first.fileName).send(Readable.from(chunks()));
}
