import { Readable } from 'node:stream';
import { Job, JobDiagnostics, JobKind, JobStatus } from '@pharma/shared/contracts';
import { ForbiddenError, NotFoundError } from '@pharma/shared/errors';
import { isFinal, type JobStore, type Job as JobValue, openObjectStore } from '@pharma/shared/messaging';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../plugins/auth.plugin.js';
import type { RoutesPlugin } from './route-kit.js';
import { FileBody, JobParams } from './schemas.js';

const ErrorBody = Type.Object({ code: Type.String(), message: Type.String() });

/** A pharmacy sees its own jobs only; staff see every job. */
function assertCanSee(principal: Principal, job: JobValue): void {
  if (principal.kind !== 'staff' && job.owner !== principal.owner) throw new ForbiddenError('This job is not yours');
}

export const jobsRoutes: RoutesPlugin<{ jobs: JobStore; keepAliveMs: number }> = async (app, options) => {
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
      const { status, kind, limit } = request.query;
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
      const job = await jobs.require(request.params.id);
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
      const { id } = request.params;
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
    '/api/jobs/:id/diagnostics',
    {
      preValidation: app.authenticate,
      schema: {
        tags: ['jobs'],
        summary: "Staff only: a customers refresh's masked diagnostic bundle (why the list could not be learned)",
        description:
          'JSON: masked screenshots, the list requests and answers with values masked and field names kept, the ' +
          'recipe as far as it got and the step that failed. It holds no cookie, token or password.',
        params: JobParams,
        produces: ['application/json'],
        response: { 200: FileBody('The bundle (JSON)'), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      if (principalOf(request).kind !== 'staff') throw new ForbiddenError('Diagnostic bundles are for staff');
      const job = await jobs.require(request.params.id);
      const ref = job.result?.diagnostics;
      if (!Value.Check(JobDiagnostics, ref)) throw new NotFoundError('This job kept no diagnostic bundle');
      const object = await (await openObjectStore(app.nats, ref.bucket)).get(ref.name);
      if (!object) throw new NotFoundError('This diagnostic bundle has expired');
      reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="diagnostics-${job.id.replace(/[^\w.-]/g, '')}.json"`);
      return reply.send(Readable.fromWeb(object.data as never));
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
      const { id } = request.params;
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
};
