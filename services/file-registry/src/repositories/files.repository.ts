import { and, count, desc, eq, gte, inArray, lte, ne, type SQL, sql } from 'drizzle-orm';
import type { RegistryDb } from '../db/client.js';
import { type FileStatus, fileRegistry } from '../db/schema.js';
import type { ReportMonth } from '../domain/report-period.js';

export interface FileFilter {
  status?: FileStatus[];
  dataProvider?: string;
  clientName?: string;
  reportType?: string;
  from?: ReportMonth;
  to?: ReportMonth;
}

const periodKey = sql<number>`(${fileRegistry.reportYear} * 100 + ${fileRegistry.reportMonth})`;

function whereOf(filter: FileFilter): SQL | undefined {
  const conditions: SQL[] = [];
  if (filter.status) conditions.push(inArray(fileRegistry.status, filter.status));
  if (filter.dataProvider !== undefined) conditions.push(eq(fileRegistry.dataProvider, filter.dataProvider));
  if (filter.clientName !== undefined) conditions.push(eq(fileRegistry.clientName, filter.clientName));
  if (filter.reportType !== undefined) conditions.push(eq(fileRegistry.reportType, filter.reportType));
  if (filter.from) conditions.push(gte(periodKey, filter.from.year * 100 + filter.from.month));
  if (filter.to) conditions.push(lte(periodKey, filter.to.year * 100 + filter.to.month));
  return conditions.length > 0 ? and(...conditions) : undefined;
}

export async function listFiles(db: RegistryDb, filter: FileFilter, page: { limit: number; offset: number }) {
  const where = whereOf(filter);
  const [items, [total]] = await Promise.all([
    db
      .select()
      .from(fileRegistry)
      .where(where)
      .orderBy(desc(fileRegistry.createdAt), desc(fileRegistry.id))
      .limit(page.limit)
      .offset(page.offset),
    db.select({ value: count() }).from(fileRegistry).where(where),
  ]);
  return { total: total?.value ?? 0, items };
}

export async function countFiles(db: RegistryDb, filter: FileFilter) {
  const where = whereOf(filter);
  const month = sql<string>`to_char(make_date(${fileRegistry.reportYear}, ${fileRegistry.reportMonth}, 1), 'YYYY-MM')`;
  const [byStatus, byProvider, byMonth] = await Promise.all([
    db
      .select({ key: fileRegistry.status, count: count() })
      .from(fileRegistry)
      .where(where)
      .groupBy(fileRegistry.status),
    db
      .select({ key: sql<string>`coalesce(${fileRegistry.dataProvider}, '')`, count: count() })
      .from(fileRegistry)
      .where(where)
      .groupBy(fileRegistry.dataProvider),
    db
      .select({ key: sql<string>`coalesce(${month}, '')`, count: count() })
      .from(fileRegistry)
      .where(where)
      .groupBy(month),
  ]);
  const sorted = (rows: { key: string; count: number }[]) => rows.sort((a, b) => a.key.localeCompare(b.key));
  return {
    total: byStatus.reduce((sum, row) => sum + row.count, 0),
    byStatus: sorted(byStatus),
    byProvider: sorted(byProvider),
    byMonth: sorted(byMonth),
  };
}

/** Sets files back to NEW for the orchestrator to take again; files gone from disk (DELETE) stay as they are. */
export async function retryFiles(db: RegistryDb, ids: number[]) {
  const retried = await db
    .update(fileRegistry)
    .set({ status: 'NEW', errorReason: null })
    .where(and(inArray(fileRegistry.id, ids), ne(fileRegistry.status, 'DELETE')))
    .returning({ id: fileRegistry.id });
  const retriedIds = new Set(retried.map((row) => row.id));
  const rest = ids.filter((id) => !retriedIds.has(id));
  const deleted =
    rest.length === 0
      ? new Set<number>()
      : new Set(
          (await db.select({ id: fileRegistry.id }).from(fileRegistry).where(inArray(fileRegistry.id, rest))).map(
            (row) => row.id,
          ),
        );
  return ids.map((id) => ({
    id,
    outcome: retriedIds.has(id)
      ? ('retried' as const)
      : deleted.has(id)
        ? ('deleted' as const)
        : ('not_found' as const),
  }));
}

/** Per (provider, client, report type) of a month: first arrival and file count, files gone from disk excluded. */
export async function arrivalsOfMonth(db: RegistryDb, period: ReportMonth) {
  const firstArrivedAt = sql<Date>`min(coalesce(${fileRegistry.uploadedAt}, ${fileRegistry.createdAt}))`.mapWith(
    (value: string | Date) => new Date(value),
  );
  return db
    .select({
      dataProvider: sql<string>`${fileRegistry.dataProvider}`,
      clientName: sql<string>`${fileRegistry.clientName}`,
      reportType: sql<string>`${fileRegistry.reportType}`,
      firstArrivedAt,
      files: count(),
    })
    .from(fileRegistry)
    .where(
      and(
        eq(fileRegistry.reportYear, period.year),
        eq(fileRegistry.reportMonth, period.month),
        ne(fileRegistry.status, 'DELETE'),
        sql`${fileRegistry.dataProvider} IS NOT NULL AND ${fileRegistry.clientName} IS NOT NULL AND ${fileRegistry.reportType} IS NOT NULL`,
      ),
    )
    .groupBy(fileRegistry.dataProvider, fileRegistry.clientName, fileRegistry.reportType);
}
