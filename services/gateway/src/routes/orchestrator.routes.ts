import { Job } from '@pharma/shared/contracts';
import { NotFoundError } from '@pharma/shared/errors';
import type { JobStore } from '@pharma/shared/messaging';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { launchJob } from '../services/job-launcher.js';
import { authErrors, authErrorsWith404, JobAccepted } from './schemas.js';

export interface OrchestratorRoutesOptions {
  jobs: JobStore;
}

/** A run is followed through its job: its id is the run's id here, its result holds the counts. */
export async function orchestratorRoutes(app: FastifyInstance, options: OrchestratorRoutesOptions) {
  const staffOnly = app.requireRole('ops', 'admin');

  app.post(
    '/api/orchestrator/runs',
    {
      preValidation: staffOnly,
      schema: {
        tags: ['orchestrator'],
        summary: 'Runs the pending conversion tasks now, as a job',
        response: { 202: JobAccepted, ...authErrors },
      },
    },
    async (request, reply) => {
      const job = await launchJob(app, options.jobs, {
        kind: 'orchestrator.run',
        owner: request.principal?.owner as string,
        subject: 'orchestrator.run.requested',
        correlationId: String(request.id),
        payload: (jobId, requestedAt) => ({ jobId, requestedAt, correlationId: String(request.id) }),
      });
      return reply.status(202).send({ jobId: job.id, job });
    },
  );

  app.get(
    '/api/orchestrator/runs/:id',
    {
      preValidation: staffOnly,
      schema: {
        tags: ['orchestrator'],
        summary: 'One run: status, progress, counts and per-task errors',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 200: Job, ...authErrorsWith404 },
      },
    },
    async (request) => {
      const job = await options.jobs.require((request.params as { id: string }).id);
      if (job.kind !== 'orchestrator.run') throw new NotFoundError('No such orchestrator run');
      return job;
    },
  );
}
