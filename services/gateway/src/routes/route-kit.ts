import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ForbiddenError } from '@pharma/shared/errors';
import { type JobStore, type RpcDefinition, requestRpc } from '@pharma/shared/messaging';
import type { TObject, TOptional, TSchema, TString } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { authErrors, JobAccepted } from './schemas.js';

/** What every route plugin that asks services over NATS needs. */
export interface RpcRoutesOptions {
  jobs: JobStore;
  /** How long a route waits for a service's answer. */
  rpc: { timeoutMs: number };
}

/**
 * A route plugin whose handlers take the types of their request and answers from their schemas: the schema that
 * validates `request.query` is the one that types it, so the two cannot drift apart.
 */
export type RoutesPlugin<Options extends object = RpcRoutesOptions> = FastifyPluginAsyncTypebox<Options>;

/** The app as a {@link RoutesPlugin} sees it. */
export type TypedApp = Parameters<RoutesPlugin>[0];

/** The pharmacy of the session: never taken from the client, so one pharmacy cannot name another. */
export function pharmacyOf(request: FastifyRequest): string {
  const pharmacyId = request.principal?.pharmacyId;
  if (!pharmacyId) throw new ForbiddenError('Only a pharmacy account has customer data');
  return pharmacyId;
}

/** Who asked, as the services' "start" RPCs record it. */
export function startedBy(request: FastifyRequest) {
  return { requestedBy: request.principal?.owner, correlationId: String(request.id) };
}

/** The 202 answer of a job a service's "start" RPC created: the RPC's answer and the job as it stands. */
export async function acceptedJob<Answer extends { jobId: string }>(jobs: JobStore, answer: Answer) {
  return { ...answer, job: await jobs.require(answer.jobId) };
}

type StartRpc = RpcDefinition<
  TObject<{ requestedBy: TOptional<TString>; correlationId: TOptional<TString> }>,
  TObject<{ jobId: TString }>
>;

/** A staff route that starts a job through the service's own "start" RPC, which creates the job. */
export function addStartJobRoute(
  app: TypedApp,
  options: RpcRoutesOptions,
  url: string,
  route: { tag: string; summary: string; rpc: StartRpc },
): void {
  app.post(
    url,
    {
      preValidation: app.staffOnly,
      schema: { tags: [route.tag], summary: route.summary, response: { 202: JobAccepted, ...authErrors } },
    },
    async (request, reply) => {
      const answer = await requestRpc(app.nats, route.rpc, startedBy(request), options.rpc);
      return reply.status(202).send(await acceptedJob(options.jobs, answer));
    },
  );
}

/**
 * A staff GET whose query is the request of a service's RPC, answered with the RPC's answer. The querystring
 * schema is the route's own (what the OpenAPI document shows and what is validated); the RPC checks it again.
 */
export function addStaffQueryRoute(
  app: TypedApp,
  options: RpcRoutesOptions,
  url: string,
  route: { tag: string; summary: string; querystring: TObject; rpc: RpcDefinition<TSchema, TSchema> },
): void {
  app.get(
    url,
    {
      preValidation: app.staffOnly,
      schema: {
        tags: [route.tag],
        summary: route.summary,
        querystring: route.querystring,
        response: { 200: route.rpc.response, ...authErrors },
      },
    },
    async (request) => requestRpc(app.nats, route.rpc, request.query, options.rpc),
  );
}

/**
 * A pharmacy's GET whose query, with the pharmacy of the session, is the request of a storage RPC, answered with
 * the RPC's answer. A `pharmacyId` in the query cannot name another pharmacy: the session's replaces it.
 */
export function addPharmacyQueryRoute(
  app: TypedApp,
  options: RpcRoutesOptions,
  url: string,
  route: { tag: string; summary: string; querystring: TObject; rpc: RpcDefinition<TSchema, TSchema> },
): void {
  app.get(
    url,
    {
      preValidation: app.requireRole('pharmacy'),
      schema: {
        tags: [route.tag],
        summary: route.summary,
        querystring: route.querystring,
        response: { 200: route.rpc.response, ...authErrors },
      },
    },
    async (request) =>
      requestRpc(app.nats, route.rpc, { ...request.query, pharmacyId: pharmacyOf(request) }, options.rpc),
  );
}
