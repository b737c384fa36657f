import type { Log } from '@pharma/shared/logger';
import { consumeEvents, type EventConsumer, type NatsContext } from '@pharma/shared/messaging';
import type { createStatementPdfService } from '../services/statement-pdf.service.js';

export const STATEMENT_PDF_READY_DURABLE = 'pdf-processor-statements';

/** `sobrus.statement.pdf.ready` → parse → result event; one message per free parser thread. */
export function consumeStatementPdfReady(
  nats: NatsContext,
  options: { logger: Log; concurrency: number; process: ReturnType<typeof createStatementPdfService> },
): Promise<EventConsumer> {
  return consumeEvents(nats, {
    subject: 'sobrus.statement.pdf.ready',
    durable: STATEMENT_PDF_READY_DURABLE,
    logger: options.logger,
    concurrency: options.concurrency,
    handler: async (payload, context) => {
      await options.process(payload, context);
    },
  });
}
