import { Job, JobKind, JobStatus } from '@pharma/shared/contracts';
import { ForbiddenError } from '@pharma/shared/errors';
import { isFinal, type JobStore, type Job as JobValue } from '@pharma/shared/messaging';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../plugins/auth.plugin.js';

const JobParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });
const ErrorBody = Type.Object({ code: Type.String(), message: Type.String() });

/** A pharmacy sees its own jobs only; staff see every job. */
function assertCanSee(principal: Principal, job: JobValue): void {
  if (principal.kind !== 'staff' && job.owner !== principal.owner) throw new ForbiddenError('This job is not yours');
}

export async function jobsRoutes(app: FastifyInstance, options: { jobs: JobStore; keepAliveMs: number }) {
  const { jobs } = options;
  // Open event streams end when the gateway closes, or the server would wait for them forever.
  const streams = new Set<AbortController>();
  app.addHook('preClose', async () => {
    for (const stream of streams) stream.abort();
  });
  const principalOf = (request: FastifyRequest) => request.principal as Principal;

  app.get(
    '/api/jobs',
    {
      preValidation: app.authenticate,
      schema: {
        tags: ['jobs'],
        summary: 'Jobs visible to the caller, newest first',
        querystring: Type.Object({
          status: Type.Optional(JobStatus),
          kind: Type.Optional(JobKind),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
        }),
        response: { 200: Type.Object({ items: Type.Array(Job) }), 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { status, kind, limit } = request.query as { status?: string; kind?: string; limit: number };
      const all = await jobs.list(principal.kind === 'staff' ? {} : { owner: principal.owner });
      const wanted = all.filter((job) => (!status || job.status === status) && (!kind || job.kind === kind));
      return { items: wanted.slice(0, limit) };
    },
  );

  app.get(
    '/api/jobs/:id',
    {
      preValidation: app.authenticate,
      schema: {
        tags: ['jobs'],
        summary: 'One job: status, progress, result and per-item errors',
        params: JobParams,
        response: { 200: Job, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const job = await jobs.require((request.params as { id: string }).id);
      assertCanSee(principalOf(request), job);
      return job;
    },
  );

  app.delete(
    '/api/jobs/:id',
    {
      preValidation: app.authenticate,
      schema: {
        tags: ['jobs'],
        summary: 'Asks a running job to stop; it ends as cancelled after the item in progress',
        params: JobParams,
        response: { 202: Job, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const id = (request.params as { id: string }).id;
      assertCanSee(principalOf(request), await jobs.require(id));
      const job = await jobs.update(id, (current) =>
        current.status === 'queued'
          ? { status: 'cancelled', cancelRequested: true, progress: { ...current.progress, stage: 'cancelled' } }
          : { cancelRequested: true },
      );
      return reply.status(202).send(job);
    },
  );

  app.get(
    '/api/jobs/:id/events',
    {
      preValidation: app.authenticate,
      schema: {
        tags: ['jobs'],
        summary: 'Server-sent events: the job now and after every change, until it ends',
        params: JobParams,
        produces: ['text/event-stream'],
        response: { 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const id = (request.params as { id: string }).id;
      assertCanSee(principalOf(request), await jobs.require(id));
      const abort = new AbortController();
      streams.add(abort);
      request.raw.once('close', () => abort.abort());
      reply.hijack();
      reply.raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      const keepAlive = setInterval(() => reply.raw.write(': keep-alive\n\n'), options.keepAliveMs);
      try {
        for await (const job of jobs.follow(id, abort.signal)) {
          reply.raw.write(`event: ${isFinal(job) ? 'end' : 'progress'}\ndata: ${JSON.stringify(job)}\n\n`);
        }
      } catch (error) {
        if (!abort.signal.aborted) request.log.warn({ err: error, jobId: id }, 'job stream failed');
      } finally {
        clearInterval(keepAlive);
        streams.delete(abort);
        reply.raw.end();
      }
    },
  );
}
