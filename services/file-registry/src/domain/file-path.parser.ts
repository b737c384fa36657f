import type { ProviderFolders } from './provider-folders.js';

/** What the tree says about a registered file: `<provider folder>/<YYYY>/<MM>/<client>/<report type>/<file>`. */
export interface ParsedFilePath {
  dataProvider: string;
  reportYear: number;
  reportMonth: number;
  clientName: string;
  reportType: string;
}

export type StructureReason = 'WRONG_DEPTH' | 'UNKNOWN_PROVIDER_FOLDER' | 'BAD_YEAR' | 'BAD_MONTH' | 'BAD_NAME';

export type PathParseResult =
  | { ok: true; value: ParsedFilePath }
  | { ok: false; reason: StructureReason; message: string };

export const TREE_DEPTH = 6;
const MIN_YEAR = 2000;
const MAX_YEAR = 2100;

const fail = (reason: StructureReason, message: string): PathParseResult => ({ ok: false, reason, message });

export function parseYear(text: string): number | undefined {
  if (!/^\d{4}$/.test(text)) return undefined;
  const year = Number(text);
  return year >= MIN_YEAR && year <= MAX_YEAR ? year : undefined;
}

export function parseMonth(text: string): number | undefined {
  if (!/^\d{1,2}$/.test(text)) return undefined;
  const month = Number(text);
  return month >= 1 && month <= 12 ? month : undefined;
}

/** Parses the segments of a path relative to the root (the last one is the file name). Names come out NFC. */
export function parseFilePath(segments: readonly string[], providers: ProviderFolders): PathParseResult {
  if (segments.length !== TREE_DEPTH) {
    return fail(
      'WRONG_DEPTH',
      `expected <provider folder>/<YYYY>/<MM>/<client>/<report type>/<file>, found ${segments.length} level(s)`,
    );
  }
  const [providerFolder, yearText, monthText, client, reportType] = segments.map((s) => s.normalize('NFC')) as [
    string,
    string,
    string,
    string,
    string,
  ];
  const dataProvider = providers[providerFolder];
  if (dataProvider === undefined) {
    return fail(
      'UNKNOWN_PROVIDER_FOLDER',
      `"${providerFolder}" is not a provider folder (known: ${Object.keys(providers).join(', ')})`,
    );
  }
  const reportYear = parseYear(yearText);
  if (reportYear === undefined) return fail('BAD_YEAR', `"${yearText}" is not a year (YYYY, ${MIN_YEAR}-${MAX_YEAR})`);
  const reportMonth = parseMonth(monthText);
  if (reportMonth === undefined) return fail('BAD_MONTH', `"${monthText}" is not a month (01-12)`);
  const clientName = client.trim();
  const type = reportType.trim();
  if (!clientName || !type) return fail('BAD_NAME', 'client and report type folder names must not be blank');
  return { ok: true, value: { dataProvider, reportYear, reportMonth, clientName, reportType: type } };
}
