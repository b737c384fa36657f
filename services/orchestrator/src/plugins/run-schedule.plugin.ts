import { randomUUID } from 'node:crypto';
import { toError } from '@pharma/shared/errors';
import { withCorrelationId } from '@pharma/shared/logger';
import { Cron } from 'croner';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type RunJobDeps, runAsJob } from '../services/run-job.service.js';

export interface RunSchedulePluginOptions {
  cron: string;
  deps: RunJobDeps;
}

/** Scheduled runs (croner), each a job of its own; `protect` skips a tick while the previous run lasts. */
export const runSchedulePlugin = fp<RunSchedulePluginOptions>(
  async (app: FastifyInstance, { cron, deps }) => {
    let running: Promise<unknown> | undefined;
    const job = new Cron(cron, { protect: true, name: 'orchestrator-run' }, async () => {
      if (deps.stopSignal?.aborted) return;
      const jobId = `orchestrator-${randomUUID()}`;
      // Its job id is its correlation id (a scheduled run has no caller to inherit one from).
      running = withCorrelationId(jobId, async () => {
        await deps.jobs.create({ id: jobId, kind: 'orchestrator.run', owner: 'system' });
        await runAsJob(deps, jobId, 'schedule', { correlationId: jobId });
      }).catch((error) => app.log.error({ err: toError(error), jobId }, 'scheduled run failed'));
      await running;
    });
    app.log.info({ cron, next: job.nextRun()?.toISOString() }, 'orchestrator schedule active');
    app.addHook('preClose', async () => {
      job.stop();
      await running;
    });
  },
  { name: 'orchestrator-schedule', dependencies: ['nats', 'postgres'] },
);
