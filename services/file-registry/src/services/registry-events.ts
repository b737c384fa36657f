import type { NatsContext } from '@pharma/shared/messaging';
import { publishEvent } from '@pharma/shared/messaging';
import type { RegisteredFile, ScanEventSink, ScanResult } from './scan.types.js';

/** Publishes a scan's facts on JetStream: one `registry.file.registered` per new file (msg id = file id), then the totals. */
export function natsScanEvents(nats: NatsContext, concurrency: number): ScanEventSink {
  return {
    async filesRegistered(files, correlationId) {
      let next = 0;
      const worker = async () => {
        while (next < files.length) {
          const file = files[next++]!;
          await publishEvent(nats, 'registry.file.registered', fileRegisteredPayload(file), {
            msgId: file.messageId,
            correlationId,
          });
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
    },
    async scanCompleted(result: ScanResult) {
      await publishEvent(
        nats,
        'registry.scan.completed',
        {
          scanId: result.scanId,
          ...(result.jobId ? { jobId: result.jobId } : {}),
          ...(result.correlationId ? { correlationId: result.correlationId } : {}),
          status: result.status,
          totals: result.totals,
          startedAt: result.startedAt,
          completedAt: result.completedAt,
        },
        { msgId: `scan-${result.scanId}`, correlationId: result.correlationId },
      );
    },
  };
}

const fileRegisteredPayload = (file: RegisteredFile) => ({
  id: file.id,
  filePath: file.filePath,
  dataProvider: file.dataProvider,
  reportYear: file.reportYear,
  reportMonth: file.reportMonth,
  clientName: file.clientName,
  reportType: file.reportType,
  registeredAt: file.registeredAt,
});
