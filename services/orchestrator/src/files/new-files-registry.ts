import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  NEW_FILES_REGISTRY_FOLDER,
  NEW_FILES_REGISTRY_NAME,
  type NewFilesRegistryRow,
  newFilesRegistryCsv,
} from '../domain/new-files-registry.js';

/**
 * Writes `<scripts>/Reestr/new_files_registry.csv` read-only (0444), replacing the last run's at once (written
 * under a temporary name, then renamed over it), so a script reading it never sees half a file. Returns its path.
 */
export async function writeNewFilesRegistry(scriptsDir: string, rows: NewFilesRegistryRow[]): Promise<string> {
  const folder = join(scriptsDir, NEW_FILES_REGISTRY_FOLDER);
  const path = join(folder, NEW_FILES_REGISTRY_NAME);
  const partial = `${path}.partial-${randomBytes(6).toString('hex')}`;
  await mkdir(folder, { recursive: true });
  try {
    await writeFile(partial, newFilesRegistryCsv(rows), { mode: 0o444 });
    await chmod(partial, 0o444); // the mode given to writeFile is narrowed by the umask; this is exact
    await rename(partial, path);
  } catch (thrown) {
    await rm(partial, { force: true });
    throw thrown;
  }
  return path;
}
