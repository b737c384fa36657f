import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { RegistryDb } from '../db/client.js';
import { expectedReports, fileRegistry } from '../db/schema.js';
import type { ReportMonth } from '../domain/report-period.js';

export interface ExpectedReportRow {
  dataProvider: string;
  clientName: string;
  reportType: string;
  reportYear: number;
  reportMonth: number;
}

const CHUNK = 5_000;

export async function addExpectedReports(db: RegistryDb, rows: readonly ExpectedReportRow[]): Promise<number> {
  let added = 0;
  for (let start = 0; start < rows.length; start += CHUNK) {
    const inserted = await db
      .insert(expectedReports)
      .values(rows.slice(start, start + CHUNK))
      .onConflictDoNothing()
      .returning({ id: expectedReports.id });
    added += inserted.length;
  }
  return added;
}

export async function removeExpectedReports(db: RegistryDb, rows: readonly ExpectedReportRow[]): Promise<number> {
  let removed = 0;
  for (const row of rows) {
    const deleted = await db
      .delete(expectedReports)
      .where(
        and(
          eq(expectedReports.reportYear, row.reportYear),
          eq(expectedReports.reportMonth, row.reportMonth),
          eq(expectedReports.dataProvider, row.dataProvider),
          eq(expectedReports.clientName, row.clientName),
          eq(expectedReports.reportType, row.reportType),
        ),
      )
      .returning({ id: expectedReports.id });
    removed += deleted.length;
  }
  return removed;
}

export function expectedOfMonth(db: RegistryDb, period: ReportMonth) {
  return db
    .select({
      dataProvider: expectedReports.dataProvider,
      clientName: expectedReports.clientName,
      reportType: expectedReports.reportType,
    })
    .from(expectedReports)
    .where(and(eq(expectedReports.reportYear, period.year), eq(expectedReports.reportMonth, period.month)))
    .orderBy(expectedReports.dataProvider, expectedReports.clientName, expectedReports.reportType);
}

/**
 * Expected reports whose deadline (the given day of the following month, UTC, inclusive) has passed with no file
 * on disk for them, and for which no notice was sent yet.
 */
export function overdueUnnotified(db: RegistryDb, lateAfterDay: number, now: Date) {
  const lateFrom = sql`(make_date(${expectedReports.reportYear}, ${expectedReports.reportMonth}, 1) + interval '1 month' + make_interval(days => ${lateAfterDay}))`;
  return db
    .select({
      id: expectedReports.id,
      dataProvider: expectedReports.dataProvider,
      clientName: expectedReports.clientName,
      reportType: expectedReports.reportType,
      reportYear: expectedReports.reportYear,
      reportMonth: expectedReports.reportMonth,
    })
    .from(expectedReports)
    .where(
      and(
        isNull(expectedReports.missingNotifiedAt),
        sql`${lateFrom} <= (${now.toISOString()}::timestamptz AT TIME ZONE 'UTC')`,
        sql`NOT EXISTS (SELECT 1 FROM ${fileRegistry} WHERE ${fileRegistry.dataProvider} = ${expectedReports.dataProvider}
          AND ${fileRegistry.clientName} = ${expectedReports.clientName}
          AND ${fileRegistry.reportType} = ${expectedReports.reportType}
          AND ${fileRegistry.reportYear} = ${expectedReports.reportYear}
          AND ${fileRegistry.reportMonth} = ${expectedReports.reportMonth}
          AND ${fileRegistry.status} <> 'DELETE')`,
      ),
    )
    .orderBy(expectedReports.id);
}

export async function markMissingNotified(db: RegistryDb, id: number, at: Date): Promise<void> {
  await db
    .update(expectedReports)
    .set({ missingNotifiedAt: at })
    .where(inArray(expectedReports.id, [id]));
}
