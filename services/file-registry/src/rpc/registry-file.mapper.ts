import type { fileRegistry } from '../db/schema.js';

type FileRow = typeof fileRegistry.$inferSelect;

export const toRegistryFile = (row: FileRow) => ({
  id: row.id,
  filePath: row.filePath,
  uploadedAt: row.uploadedAt?.toISOString() ?? null,
  status: row.status,
  dataProvider: row.dataProvider,
  reportYear: row.reportYear,
  reportMonth: row.reportMonth,
  clientName: row.clientName,
  reportType: row.reportType,
  createdAt: row.createdAt.toISOString(),
  errorReason: row.errorReason,
});
