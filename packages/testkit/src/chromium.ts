import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { CHROMIUM_ARGS } from '@pharma/browser';

/** CHROMIUM_PATH or Debian's /usr/bin/chromium; a test that needs it fails at once, saying what to set. */
export function testChromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) throw new Error(`no Chromium at ${path}: install it or set CHROMIUM_PATH`);
  return path;
}

/**
 * Launch options for Debian's Chromium in tests (playwright-core's `chromium.launch`): CHROMIUM_PATH or
 * /usr/bin/chromium, headless, without the background connections a closed network refuses.
 */
export function testChromiumOptions(): { executablePath: string; args: string[] } {
  return {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS],
  };
}

/** Process ids of the Chromium browsers (not their renderers) that a process launched: this one by default. */
export async function chromiumBrowsersOf(parentPid: number = process.pid): Promise<number[]> {
  const { stdout } = await promisify(execFile)('ps', ['-o', 'pid=,args=', '--ppid', String(parentPid)]);
  return stdout
    .split('\n')
    .map((row) => row.trim())
    .filter((row) => row.includes('--remote-debugging-pipe') && !row.includes('--type='))
    .map((row) => Number(row.split(/\s+/)[0]));
}
