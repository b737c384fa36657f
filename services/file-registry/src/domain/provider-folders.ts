/** Folder name under the root → provider value stored in `data_provider`. */
export type ProviderFolders = Record<string, string>;

export const DEFAULT_PROVIDER_FOLDERS = 'Сети=Сеть,Дистрибьюторы=Дистрибьютор';

/** Reads `Folder=Provider,Folder=Provider` (or a JSON object); undefined when malformed. Names are NFC. */
export function parseProviderFolders(text: string): ProviderFolders | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return parseJsonMapping(trimmed);
  const mapping: ProviderFolders = {};
  for (const pair of trimmed.split(',')) {
    const [folder, provider, ...rest] = pair.split('=').map((part) => part.trim().normalize('NFC'));
    if (!folder || !provider || rest.length > 0) return undefined;
    mapping[folder] = provider;
  }
  return Object.keys(mapping).length > 0 ? mapping : undefined;
}

function parseJsonMapping(text: string): ProviderFolders | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    const entries = Object.entries(parsed);
    if (entries.length === 0 || entries.some(([key, value]) => !key.trim() || typeof value !== 'string' || !value))
      return undefined;
    return Object.fromEntries(entries.map(([key, value]) => [key.normalize('NFC'), String(value).normalize('NFC')]));
  } catch {
    return undefined;
  }
}

/** The folder to create for a provider given either its folder name or its provider value. */
export function folderForProvider(mapping: ProviderFolders, nameOrFolder: string): string | undefined {
  const name = nameOrFolder.normalize('NFC');
  if (name in mapping) return name;
  return Object.entries(mapping).find(([, provider]) => provider === name)?.[0];
}
