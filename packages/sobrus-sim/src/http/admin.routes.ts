import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { isIsoDate } from '../domain/dates.js';
import { type FaultSettings, parseFaultSettings } from '../faults.js';
import { UnknownEntityError } from '../simulation.js';
import { toTruthCustomer, toTruthStatement } from '../truth.js';
import type { SimContext } from './context.js';
import { printOptionsFor } from './print-options.js';

const AccountQuery = Type.Object({ account: Type.String() });
const OptionalAccountQuery = Type.Object({ account: Type.Optional(Type.String()) });
const StatementTruthQuery = Type.Object({
  account: Type.String(),
  customer_id: Type.String(),
  start_date: Type.String(),
  end_date: Type.String(),
});

/** `/__sim/truth/*` (what tests must find) and `/__sim/faults` (what goes wrong). Never subject to faults. */
export function registerAdminRoutes(app: FastifyInstance, context: SimContext): void {
  const { simulation, faults } = context;

  app.get('/__sim/truth/accounts', async () => simulation.accounts());

  app.get<{ Querystring: Static<typeof AccountQuery> }>(
    '/__sim/truth/customers',
    { schema: { querystring: AccountQuery } },
    async (request, reply) => orNotFound(reply, () => simulation.customers(request.query.account).map(toTruthCustomer)),
  );

  app.get<{ Querystring: Static<typeof StatementTruthQuery> }>(
    '/__sim/truth/statement',
    { schema: { querystring: StatementTruthQuery } },
    async (request, reply) => {
      const { account, customer_id: customerId, start_date: startDate, end_date: endDate } = request.query;
      if (!isIsoDate(startDate) || !isIsoDate(endDate) || startDate > endDate) {
        return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: 'invalid period' });
      }
      return orNotFound(reply, async () => {
        const printed = await simulation.print(
          { account, customerId, startDate, endDate },
          printOptionsFor(context, account, customerId),
        );
        return toTruthStatement(printed);
      });
    },
  );

  app.get('/__sim/faults', async () => faults.snapshot());

  const change = (mode: 'set' | 'update') => async (request: FaultRequest, reply: FastifyReply) => {
    let settings: FaultSettings;
    try {
      settings = parseFaultSettings(request.body ?? {});
    } catch (error) {
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: (error as Error).message });
    }
    faults[mode](settings, request.query.account);
    return faults.snapshot();
  };
  app.put<FaultRoute>('/__sim/faults', { schema: { querystring: OptionalAccountQuery } }, change('set'));
  app.patch<FaultRoute>('/__sim/faults', { schema: { querystring: OptionalAccountQuery } }, change('update'));
  app.delete('/__sim/faults', async () => {
    faults.clear();
    return faults.snapshot();
  });
}

interface FaultRoute {
  Querystring: Static<typeof OptionalAccountQuery>;
  Body: unknown;
}
type FaultRequest = { query: FaultRoute['Querystring']; body: unknown };

async function orNotFound<T>(reply: FastifyReply, produce: () => T | Promise<T>): Promise<T | FastifyReply> {
  try {
    return await produce();
  } catch (error) {
    if (error instanceof UnknownEntityError) {
      return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: error.message });
    }
    throw error;
  }
}
