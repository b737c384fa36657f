import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import type { ScriptOutcome, TaskEnv } from './script-outcome.js';
import { TailBuffer } from './tail-buffer.js';

export interface ProcessRunOptions {
  command: string;
  args: string[];
  env: TaskEnv;
  timeoutMs: number;
  tailBytes: number;
  script: string;
}

// Only what an interpreter needs: the service's own secrets (database URL...) never reach a client script.
const PASSED_ENV = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'PYTHONPATH', 'SYSTEMROOT'];

/**
 * Runs an executable or interpreter in its own process group, so the timeout (and the end of the task) kills
 * every process the script started, not only the first one.
 */
export function runProcess(options: ProcessRunOptions): Promise<ScriptOutcome> {
  const started = performance.now();
  const stdout = new TailBuffer(options.tailBytes);
  const stderr = new TailBuffer(options.tailBytes);
  const env: Record<string, string> = { ...options.env };
  for (const name of PASSED_ENV) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return new Promise((resolve) => {
    const child = spawn(options.command, options.args, {
      cwd: dirname(options.script),
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let timedOut = false;
    let startError: string | undefined;
    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => {
      startError = error.message;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // Grandchildren left behind by a finished script go with it.
      killGroup();
      resolve({
        // 127: the shell's code for a command that could not be started.
        exitCode: startError ? 127 : (code ?? (signal ? 128 + signalNumber(signal) : 1)),
        timedOut,
        durationMs: performance.now() - started,
        stdout: stdout.text(),
        stderr: stderr.text(),
        error: startError,
      });
    });
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGKILL: 9, SIGTERM: 15, SIGINT: 2, SIGSEGV: 11 };
  return numbers[signal] ?? 0;
}
