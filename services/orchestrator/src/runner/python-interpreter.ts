import { execFile } from 'node:child_process';

/**
 * The interpreter's real executable, found once: a version-manager shim in front of `python3` costs several times
 * the interpreter's own start on every task.
 */
export function resolvePython(command: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(command, ['-c', 'import sys; print(sys.executable)'], { timeout: 10_000 }, (error, stdout) => {
      const path = stdout?.trim();
      resolve(error || !path ? command : path);
    });
  });
}
