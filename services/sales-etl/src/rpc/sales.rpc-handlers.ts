import { randomUUID } from 'node:crypto';
import {
  createSalesScheduleRpc,
  deleteSalesScheduleRpc,
  latestSalesAnalysesRpc,
  listSalesImportsRpc,
  listSalesRejectsRpc,
  listSalesSchedulesRpc,
  startSalesImportRpc,
} from '@pharma/shared/contracts';
import { NotFoundError, ValidationError } from '@pharma/shared/errors';
import type { Log } from '@pharma/shared/logger';
import { publishEvent, serveRpc } from '@pharma/shared/messaging';

type Subscription = ReturnType<typeof serveRpc>;

import { checkUrlShape } from '../domain/address-policy.js';
import { latestAnalyses } from '../repositories/analyses.repository.js';
import { listRejects, listRuns } from '../repositories/runs.repository.js';
import {
  deleteSchedule,
  insertSchedule,
  listSchedules,
  type ScheduleRow,
} from '../repositories/schedules.repository.js';
import { assertValidCron, type ImportSchedules } from '../scheduler/import-schedules.js';
import type { ImportJobDeps } from '../services/import-job.js';

/** The request/reply API the gateway calls. Returns the subscriptions so the app can close them. */
export function serveSalesRpc(deps: ImportJobDeps, scheduler: ImportSchedules, logger: Log): Subscription[] {
  const { db, nats } = deps;
  const checkUrls = (urls: Record<string, string | undefined>) => {
    for (const [kind, url] of Object.entries(urls)) {
      if (url === undefined) continue;
      const checked = checkUrlShape(url, deps.fetch.allowPrivate);
      if (!checked.ok) throw new ValidationError(`${kind} URL refused: ${checked.reason}`);
    }
  };
  const scheduleView = (row: ScheduleRow) => ({ ...row, nextRunAt: scheduler.nextRun(row.id) });

  return [
    serveRpc(nats, startSalesImportRpc, {
      logger,
      handler: async ({ urls, owner }) => {
        checkUrls(urls);
        const jobId = randomUUID();
        const importId = randomUUID();
        await deps.jobs.create({ id: jobId, kind: 'sales.import', owner: owner ?? 'system' });
        await publishEvent(
          nats,
          'sales.import.requested',
          { jobId, importId, urls, requestedAt: new Date().toISOString() },
          { msgId: importId },
        );
        return { jobId, importId };
      },
    }),
    serveRpc(nats, listSalesImportsRpc, {
      logger,
      handler: ({ limit = 50, offset = 0 }) => {
        const { runs, files, total } = listRuns(db.read, { limit, offset });
        const items = runs.map(({ id, urls: _urls, ...run }) => ({
          runId: id,
          ...run,
          files: files.filter((file) => file.runId === id).map(({ runId: _runId, ...file }) => file),
        }));
        return { total, items };
      },
    }),
    serveRpc(nats, listSalesRejectsRpc, {
      logger,
      handler: ({ runId, kind, limit = 50, offset = 0 }) =>
        listRejects(db.read, { runId, ...(kind ? { kind } : {}), limit, offset }),
    }),
    serveRpc(nats, latestSalesAnalysesRpc, {
      logger,
      handler: () => {
        const analyses = latestAnalyses(db.read);
        if (!analyses) throw new NotFoundError('No analyses yet: nothing was imported');
        return analyses;
      },
    }),
    serveRpc(nats, createSalesScheduleRpc, {
      logger,
      handler: async ({ name, cron, timezone, urls, owner }) => {
        checkUrls(urls);
        assertValidCron(cron, timezone);
        const row: ScheduleRow = {
          id: randomUUID(),
          name,
          cron,
          timezone: timezone ?? null,
          urls: urls as Record<string, string>,
          owner: owner ?? 'system',
          createdAt: new Date().toISOString(),
          lastRunId: null,
          lastRunAt: null,
        };
        await db.writeLock.run(() => insertSchedule(db.write, row));
        scheduler.add(row);
        return scheduleView(row);
      },
    }),
    serveRpc(nats, listSalesSchedulesRpc, {
      logger,
      handler: () => ({ items: listSchedules(db.read).map(scheduleView) }),
    }),
    serveRpc(nats, deleteSalesScheduleRpc, {
      logger,
      handler: async ({ id }) => {
        const deleted = await db.writeLock.run(() => deleteSchedule(db.write, id));
        if (!deleted) throw new NotFoundError(`Schedule ${id} does not exist`);
        scheduler.remove(id);
        return { deleted };
      },
    }),
  ];
}
