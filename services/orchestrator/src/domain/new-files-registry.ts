/**
 * `Reestr/new_files_registry.csv`: the original orchestrator's list of the files a run takes, which its client
 * scripts read. Its columns are the registry table's, in the table's order (the original table, kept compatible),
 * one row per file, timestamps in UTC as `YYYY-MM-DD HH:MM:SS`, empty for NULL.
 */
export const NEW_FILES_REGISTRY_COLUMNS = [
  'id',
  'file_path',
  'uploaded_at',
  'status',
  'data_provider',
  'report_year',
  'report_month',
  'client_name',
  'report_type',
  'created_at',
  'error_reason',
] as const;

export type NewFilesRegistryRow = Record<(typeof NEW_FILES_REGISTRY_COLUMNS)[number], string | null>;

export const NEW_FILES_REGISTRY_FOLDER = 'Reestr';
export const NEW_FILES_REGISTRY_NAME = 'new_files_registry.csv';

const quote = (value: string | null) =>
  value === null ? '' : /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;

/** The file's text: UTF-8 without a byte-order mark, comma-separated, quoted where needed, `\n` line ends. */
export function newFilesRegistryCsv(rows: Iterable<NewFilesRegistryRow>): string {
  const lines = [NEW_FILES_REGISTRY_COLUMNS.join(',')];
  for (const row of rows) lines.push(NEW_FILES_REGISTRY_COLUMNS.map((column) => quote(row[column])).join(','));
  return `${lines.join('\n')}\n`;
}
