import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticate, type SimContext } from './context.js';

export const MAX_LIST_LIMIT = 100;

const ListQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIST_LIMIT })),
});
type ListQuery = Static<typeof ListQuery>;

export const UNAUTHORIZED = { statusCode: 401, error: 'Unauthorized', message: 'Authentication required' };

/** The customer list as JSON, page by page, with the total so pages can be fetched concurrently. */
export function registerCustomersJson(app: FastifyInstance, context: SimContext, path: string): void {
  app.get<{ Querystring: ListQuery }>(
    path,
    { schema: { querystring: ListQuery }, config: { simRoute: 'customers' } },
    async (request: FastifyRequest<{ Querystring: ListQuery }>, reply: FastifyReply) => {
      const session = authenticate(context, request);
      if (!session) return reply.code(401).send(UNAUTHORIZED);
      const customers = context.simulation.customers(session.account);
      const limit = request.query.limit ?? listPageSize(context, session.account);
      const page = request.query.page ?? 1;
      const items = customers.slice((page - 1) * limit, page * limit).map((customer) => ({
        id: customer.id,
        name: customer.name,
        email: customer.email,
        phone: customer.phone,
        organisme: customer.organisme,
        immatriculation: customer.immatriculation,
      }));
      return { items, total: customers.length, page, limit, pages: Math.max(1, Math.ceil(customers.length / limit)) };
    },
  );
}

export function listPageSize(context: SimContext, account: string): number {
  return context.faults.effective(account).listPageSize ?? context.pageSize;
}
