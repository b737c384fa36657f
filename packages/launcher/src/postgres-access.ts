import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Started as root, the embedded PostgreSQL runs as the `postgres` user, which must enter every folder down to
 * its binaries and its data. Returns the first folder on those paths that others cannot enter (no `o+x`), if
 * any: a checkout in root's home (mode 700) is the usual case.
 */
export function folderClosedToOthers(paths: string[]): string | undefined {
  for (const path of paths) {
    const chain: string[] = [];
    for (let dir = resolve(path); ; dir = dirname(dir)) {
      chain.unshift(dir);
      if (dir === dirname(dir)) break;
    }
    for (const dir of chain) {
      if (!existsSync(dir)) break;
      if ((statSync(dir).mode & 0o001) === 0) return dir;
    }
  }
  return undefined;
}
