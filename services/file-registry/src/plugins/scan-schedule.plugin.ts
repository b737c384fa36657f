import { randomUUID } from 'node:crypto';
import { toError } from '@pharma/shared/errors';
import { withCorrelationId } from '@pharma/shared/logger';
import { Cron } from 'croner';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { runScanJob, type ScanJobDeps } from '../services/scan-job.service.js';

export interface ScanSchedulePluginOptions {
  cron: string;
  deps: ScanJobDeps;
}

/** Scheduled scans (croner); each run is a job of its own. `protect` skips a tick while the previous run lasts. */
export const scanSchedulePlugin = fp<ScanSchedulePluginOptions>(
  async (app: FastifyInstance, { cron, deps }) => {
    let running: Promise<unknown> | undefined;
    const job = new Cron(cron, { protect: true, name: 'registry-scan' }, async () => {
      const jobId = `scan-${randomUUID()}`;
      // Its job id is its correlation id: the files it registers and the conversion run they start carry it.
      running = withCorrelationId(jobId, async () => {
        await deps.jobs.create({ id: jobId, kind: 'registry.scan', owner: 'system' });
        await runScanJob(deps, jobId, jobId);
      }).catch((error) => app.log.error({ err: toError(error), jobId }, 'scheduled scan failed'));
      await running;
    });
    app.log.info({ cron, next: job.nextRun()?.toISOString() }, 'scan schedule active');
    app.addHook('preClose', async () => {
      job.stop();
      await running;
    });
  },
  { name: 'scan-schedule', dependencies: ['nats', 'postgres'] },
);
