import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { isIsoDate } from '../domain/dates.js';
import { corruptPdf } from '../pdf/corrupt.js';
import { authenticate, type SimContext, sleep } from './context.js';
import { UNAUTHORIZED } from './customers.routes.js';
import { printOptionsFor } from './print-options.js';

const StatementQuery = Type.Object({
  type: Type.String(),
  start_date: Type.String(),
  end_date: Type.String(),
  customer_id: Type.String({ minLength: 1 }),
});
type StatementQuery = Static<typeof StatementQuery>;

/** `GET /customers/export-customer-statement` on the api origin: the "relevé client détaillé" PDF. */
export function registerStatementRoute(app: FastifyInstance, context: SimContext): void {
  app.get<{ Querystring: StatementQuery }>(
    '/customers/export-customer-statement',
    { schema: { querystring: StatementQuery }, config: { simRoute: 'statement' } },
    async (request, reply) => {
      const session = authenticate(context, request);
      if (!session) return reply.code(401).send(UNAUTHORIZED);
      const { type, start_date: startDate, end_date: endDate, customer_id: customerId } = request.query;
      const problem = validate(type, startDate, endDate);
      if (problem) return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: problem });
      if (!context.simulation.customer(session.account, customerId)) {
        return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'Client introuvable' });
      }
      const faults = context.faults.effective(session.account);
      if (faults.pdfDelayMs) await sleep(faults.pdfDelayMs);
      const printed = await context.simulation.print(
        { account: session.account, customerId, startDate, endDate },
        printOptionsFor(context, session.account, customerId),
      );
      const corrupt = context.faults.appliesTo(faults.corruptPdfCustomers, customerId);
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="releve-client-${customerId}.pdf"`)
        .send(corrupt ? corruptPdf(printed.pdf) : printed.pdf);
    },
  );
}

function validate(type: string, startDate: string, endDate: string): string | undefined {
  if (type !== 'advanced') return 'type must be advanced';
  if (!isIsoDate(startDate) || !isIsoDate(endDate)) return 'start_date and end_date must be YYYY-MM-DD dates';
  if (startDate > endDate) return 'start_date must not be after end_date';
  return undefined;
}
