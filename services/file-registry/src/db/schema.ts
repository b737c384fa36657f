import { REGISTRY_FILE_STATUSES, type RegistryFileStatusName } from '@pharma/shared/contracts';
import { sql } from 'drizzle-orm';
import { check, index, integer, pgSchema, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const ops = pgSchema('ops');

/** The contract's statuses; other services change them only through `ops.set_file_status` (drizzle/0002). */
export type FileStatus = RegistryFileStatusName;
const STATUS_LIST = sql.raw(REGISTRY_FILE_STATUSES.map((status) => `'${status}'`).join(', '));

/** The original intake table, kept column-compatible: other tools read and write it. */
export const fileRegistry = ops.table(
  'file_registry',
  {
    id: serial('id').primaryKey(),
    filePath: text('file_path').notNull().unique(),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }),
    status: text('status').$type<FileStatus>().notNull().default('NEW'),
    dataProvider: text('data_provider'),
    reportYear: integer('report_year'),
    reportMonth: integer('report_month'),
    clientName: text('client_name'),
    reportType: text('report_type'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    errorReason: text('error_reason'),
  },
  (t) => [
    check('file_registry_status_check', sql`${t.status} IN (${STATUS_LIST})`),
    check('file_registry_month_check', sql`${t.reportMonth} BETWEEN 1 AND 12`),
    index('file_registry_status_idx').on(t.status),
    index('file_registry_period_idx').on(t.dataProvider, t.reportYear, t.reportMonth),
    index('file_registry_client_idx').on(t.clientName),
  ],
);

/** Reports agreed with the providers, seeded by the tree generator and editable: what the registry expects. */
export const expectedReports = ops.table(
  'expected_reports',
  {
    id: serial('id').primaryKey(),
    dataProvider: text('data_provider').notNull(),
    clientName: text('client_name').notNull(),
    reportType: text('report_type').notNull(),
    reportYear: integer('report_year').notNull(),
    reportMonth: integer('report_month').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Set once `registry.report.missing` was published for this report, so it is sent once. */
    missingNotifiedAt: timestamp('missing_notified_at', { withTimezone: true }),
  },
  (t) => [
    check('expected_reports_month_check', sql`${t.reportMonth} BETWEEN 1 AND 12`),
    uniqueIndex('expected_reports_key_idx').on(t.reportYear, t.reportMonth, t.dataProvider, t.clientName, t.reportType),
  ],
);
