import { folderForProvider, type ProviderFolders } from './provider-folders.js';

export interface TreeSpecInput {
  years: number[];
  months?: number[];
  providers: { folder: string; clients: string[]; reportTypes: string[] }[];
  seedExpected?: boolean;
}

export interface PlannedTree {
  /** Leaf folders relative to the root: `<provider folder>/<YYYY>/<MM>/<client>/<report type>`. */
  folders: string[];
  expected: { dataProvider: string; clientName: string; reportType: string; reportYear: number; reportMonth: number }[];
}

export class TreeSpecError extends Error {}

/** A folder name usable on every platform the intake team uses, and unambiguous once in a path. */
export function checkFolderName(name: string, what: string): string {
  const normalized = name.normalize('NFC').trim();
  if (!normalized || normalized === '.' || normalized === '..') throw new TreeSpecError(`${what} "${name}" is blank`);
  if (/[/\\<>:"|?*]/.test(normalized) || hasControlCharacter(normalized)) {
    throw new TreeSpecError(`${what} "${name}" contains a character not allowed in folder names`);
  }
  return normalized;
}

/** Expands a spec into its leaf folders and the reports it implies (one per provider, client, type and month). */
export function planTree(spec: TreeSpecInput, providers: ProviderFolders): PlannedTree {
  const months = [...new Set(spec.months ?? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])].sort((a, b) => a - b);
  const years = [...new Set(spec.years)].sort((a, b) => a - b);
  const plan: PlannedTree = { folders: [], expected: [] };
  for (const provider of spec.providers) {
    const folder = folderForProvider(providers, provider.folder);
    if (folder === undefined) {
      throw new TreeSpecError(
        `"${provider.folder}" is not a configured provider folder (known: ${Object.keys(providers).join(', ')})`,
      );
    }
    const dataProvider = providers[folder]!;
    const clients = unique(provider.clients.map((c) => checkFolderName(c, 'client')));
    const reportTypes = unique(provider.reportTypes.map((t) => checkFolderName(t, 'report type')));
    for (const year of years)
      for (const month of months)
        for (const clientName of clients)
          for (const reportType of reportTypes) {
            plan.folders.push(`${folder}/${year}/${String(month).padStart(2, '0')}/${clientName}/${reportType}`);
            plan.expected.push({ dataProvider, clientName, reportType, reportYear: year, reportMonth: month });
          }
  }
  return plan;
}

const hasControlCharacter = (text: string) => [...text].some((c) => c.charCodeAt(0) < 0x20);

const unique = (values: string[]) => [...new Set(values)];
