import { randomUUID } from 'node:crypto';
import { toError } from '@pharma/shared/errors';
import { type Log, withCorrelationId } from '@pharma/shared/logger';
import type { JobStore } from '@pharma/shared/messaging';
import type { Schedule } from '@pharma/shared/schedules';
import type { ScanAsJob } from './scan-job.service.js';

/** The scan on `REGISTRY_SCAN_CRON`: each run is a job of its own; a tick while a scan still runs is skipped. */
export function scheduledScan(cron: string, deps: { jobs: JobStore; log: Log }, scan: ScanAsJob): Schedule {
  return {
    name: 'registry-scan',
    cron,
    run: async () => {
      const jobId = `scan-${randomUUID()}`;
      // Its job id is its correlation id: the files it registers and the conversion run they start carry it.
      await withCorrelationId(jobId, async () => {
        await deps.jobs.create({ id: jobId, kind: 'registry.scan', owner: 'system' });
        await scan(jobId, jobId);
      }).catch((error) => deps.log.error({ err: toError(error), jobId }, 'scheduled scan failed'));
    },
  };
}
