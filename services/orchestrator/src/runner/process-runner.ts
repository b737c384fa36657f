import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { ScriptOutcome, TaskEnv } from './script-outcome.js';
import { TailBuffer } from './tail-buffer.js';

export interface ProcessRunOptions {
  command: string;
  args: string[];
  cwd: string;
  /** The whole environment of the process (see `scriptEnv`). */
  env: Record<string, string>;
  timeoutMs: number;
  tailBytes: number;
}

// Only what an interpreter needs: the service's own secrets (database URL...) never reach a client script.
const PASSED_ENV = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'PYTHONPATH', 'SYSTEMROOT'];

/** The service's variables a script process inherits (a script host starts with exactly these too). */
export function baseScriptEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSED_ENV) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/** A script's environment: the task's variables plus the few passed from the service. */
export function scriptEnv(task: TaskEnv): Record<string, string> {
  return { ...task, ...baseScriptEnv() };
}

/** Kills a whole process group; a group already gone is fine. */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is already gone.
  }
}

/**
 * Runs an executable or interpreter in its own process group, so the timeout (and the end of the task) kills
 * every process the script started, not only the first one. Used inside the spawner host process (see
 * spawner-host.ts): starting a child forks the calling process, which costs far less in a small one.
 */
export function runProcess(options: ProcessRunOptions, onStarted?: (pid: number) => void): Promise<ScriptOutcome> {
  const started = performance.now();
  const stdout = new TailBuffer(options.tailBytes);
  const stderr = new TailBuffer(options.tailBytes);
  return new Promise((resolve) => {
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid !== undefined) onStarted?.(child.pid);
    let timedOut = false;
    let startError: string | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => {
      startError = error.message;
    });
    // Grandchildren left behind by a finished script go with it (and release the output pipes they hold).
    child.on('exit', () => killGroup(child.pid));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      killGroup(child.pid);
      resolve({
        // 127: the shell's code for a command that could not be started.
        exitCode: startError ? 127 : (code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1)),
        timedOut,
        durationMs: performance.now() - started,
        stdout: stdout.text(),
        stderr: stderr.text(),
        error: startError,
      });
    });
  });
}
