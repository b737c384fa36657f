import { realpath } from 'node:fs/promises';
import { sep } from 'node:path';

export type SymlinkVerdict = { reason: 'SYMLINK' | 'OUTSIDE_ROOT'; message: string };

/**
 * Links are never followed (their targets inside the root are scanned where they live, and following them could
 * loop); a link whose target escapes the root, or dangles, is refused and reported as such.
 */
export async function judgeSymlink(root: string, relativePath: string): Promise<SymlinkVerdict> {
  const target = await realpath(`${root}/${relativePath}`).catch(() => undefined);
  if (target !== undefined && (target === root || target.startsWith(root + sep))) {
    return { reason: 'SYMLINK', message: 'symbolic link inside the root: not followed' };
  }
  return {
    reason: 'OUTSIDE_ROOT',
    message: target === undefined ? 'symbolic link to nothing: refused' : 'symbolic link escaping the root: refused',
  };
}
