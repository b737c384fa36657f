import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema, RouteGenericInterface } from 'fastify';
import { authenticate, type SimContext } from './context.js';
import type { Session } from './sessions.js';

export const MAX_LIST_LIMIT = 100;

const ListQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIST_LIMIT })),
});
type ListQuery = Static<typeof ListQuery>;

export const UNAUTHORIZED = { statusCode: 401, error: 'Unauthorized', message: 'Authentication required' };

export interface ListEndpoint<Route extends RouteGenericInterface> {
  method: 'GET' | 'POST';
  url: string;
  schema: FastifySchema;
  /** A refusal that comes before the session is looked at (and counted), or nothing. */
  refuse?(request: FastifyRequest<Route>, reply: FastifyReply): FastifyReply | undefined;
  /** The 401 answer, in the site's own words (the code is set already). */
  unauthorized(reply: FastifyReply): FastifyReply;
  answer(request: FastifyRequest<Route>, session: Session, reply: FastifyReply): unknown;
}

/**
 * A site variant's customer-list endpoint: subject to the `customers` faults, and answered only within a session
 * (the request counts on it); without one, a 401.
 */
export function registerListEndpoint<Route extends RouteGenericInterface>(
  server: FastifyInstance,
  context: SimContext,
  endpoint: ListEndpoint<Route>,
): void {
  server.route({
    method: endpoint.method,
    url: endpoint.url,
    schema: endpoint.schema,
    config: { simRoute: 'customers' },
    handler: async (untyped, reply) => {
      // The schema has validated the request: it is the route's.
      const request = untyped as FastifyRequest<Route>;
      const refused = endpoint.refuse?.(request, reply);
      if (refused) return refused;
      const session = authenticate(context, request);
      if (!session) return endpoint.unauthorized(reply.code(401));
      return endpoint.answer(request, session, reply);
    },
  });
}

/** The customer list as JSON, page by page, with the total so pages can be fetched concurrently. */
export function registerCustomersJson(app: FastifyInstance, context: SimContext, path: string): void {
  registerListEndpoint<{ Querystring: ListQuery }>(app, context, {
    method: 'GET',
    url: path,
    schema: { querystring: ListQuery },
    unauthorized: (reply) => reply.send(UNAUTHORIZED),
    answer: (request, session) => {
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
  });
}

export function listPageSize(context: SimContext, account: string): number {
  return context.faults.effective(account).listPageSize ?? context.pageSize;
}
