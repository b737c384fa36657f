import type { Log } from '@pharma/shared/logger';
import { type NatsContext, publishEvent } from '@pharma/shared/messaging';
import type { RegistryDb } from '../db/client.js';
import { type Completeness, computeCompleteness } from '../domain/completeness.js';
import { deadlineOf, formatMonth, type ReportMonth } from '../domain/report-period.js';
import {
  expectedOfMonth,
  markMissingNotified,
  overdueUnnotified,
} from '../repositories/expected-reports.repository.js';
import { arrivalsOfMonth } from '../repositories/files.repository.js';

export async function completenessOfMonth(
  db: RegistryDb,
  period: ReportMonth,
  lateAfterDay: number,
  now = new Date(),
): Promise<Completeness> {
  const [expected, arrivals] = await Promise.all([expectedOfMonth(db, period), arrivalsOfMonth(db, period)]);
  return computeCompleteness(period, expected, arrivals, lateAfterDay, now);
}

/**
 * Publishes `registry.report.missing` once per expected report past its deadline without a file. The notice is
 * recorded after the publish: a crash in between re-publishes with the same msg id, which JetStream drops.
 */
export async function notifyMissingReports(
  deps: { db: RegistryDb; nats: NatsContext; logger: Log; lateAfterDay: number },
  now = new Date(),
): Promise<number> {
  const overdue = await overdueUnnotified(deps.db, deps.lateAfterDay, now);
  for (const report of overdue) {
    const period = { year: report.reportYear, month: report.reportMonth };
    const month = formatMonth(period);
    await publishEvent(
      deps.nats,
      'registry.report.missing',
      {
        month,
        dataProvider: report.dataProvider,
        clientName: report.clientName,
        reportType: report.reportType,
        deadline: deadlineOf(period, deps.lateAfterDay),
      },
      { msgId: `missing-${report.id}-${month}` },
    );
    await markMissingNotified(deps.db, report.id, now);
  }
  if (overdue.length > 0) deps.logger.info({ count: overdue.length }, 'missing reports notified');
  return overdue.length;
}
