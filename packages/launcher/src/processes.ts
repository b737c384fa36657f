import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const COLORS = [36, 32, 33, 35, 34, 96, 92, 93, 95, 94, 91];
const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const HIDDEN_KEYS = new Set(['level', 'time', 'pid', 'hostname', 'service', 'name', 'msg']);
/** Lines of output kept per process for `logs()`. */
const KEPT_LINES = 5_000;

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after the timeout; resolves once the process is gone. */
  stop(timeoutMs?: number): Promise<void>;
  /** Sends a signal (SIGKILL by default) and resolves once the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** The last lines the process wrote (stdout and stderr, pino lines made readable). */
  logs(): string[];
  /** Calls `listener` with every later line of output. */
  onLine(listener: (line: string) => void): void;
}

let colorIndex = 0;
const running = new Set<ChildProcess>();

// Should the launcher die without its orderly stop, it takes its children with it.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Turns a pino JSON line into one readable line; other output passes through unchanged. */
export function formatLine(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    const level = LEVELS[Number(entry.level)] ?? String(entry.level ?? '');
    const extra = Object.entries(entry).filter(([key]) => !HIDDEN_KEYS.has(key));
    const details = extra.length ? ` ${JSON.stringify(Object.fromEntries(extra))}` : '';
    return `${level.padEnd(5)} ${String(entry.msg ?? '')}${details}`;
  } catch {
    return line;
  }
}

/** Where a process's prefixed lines go: the terminal (default) or a function; `false` keeps them in `logs()` only. */
export type ProcessOutput = ((line: string) => void) | false;

export interface StartProcessOptions {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
  /** Lines for which this returns false are not shown (they are still kept in `logs()`). */
  show?: (line: string) => boolean;
  output?: ProcessOutput;
}

const toStdout = (line: string) => process.stdout.write(`${line}\n`);

/** Runs a child process whose output lines are prefixed with its name. */
export function startProcess({
  name,
  command,
  args,
  env,
  onExit,
  show = () => true,
  output = toStdout,
}: StartProcessOptions): ManagedProcess {
  const color = COLORS[colorIndex++ % COLORS.length];
  const prefix =
    process.stdout.isTTY && output === toStdout ? `\x1b[${color}m${name.padEnd(14)}\x1b[0m|` : `${name.padEnd(14)}|`;
  // Own process group: Ctrl-C reaches the launcher only, which then stops everything in order.
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const kept: string[] = [];
  const listeners: ((line: string) => void)[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      const readable = formatLine(line);
      kept.push(readable);
      if (kept.length > KEPT_LINES) kept.splice(0, kept.length - KEPT_LINES);
      for (const listener of listeners) listener(line);
      if (output && show(line)) output(`${prefix} ${readable}`);
    });
  }
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => {
      exitCode = code;
      onExit?.(code, signal);
      resolve(code);
    });
  });
  const gone = () => exitCode !== undefined || child.exitCode !== null || child.signalCode !== null;
  return {
    name,
    child,
    exited,
    async stop(timeoutMs = 12_000) {
      if (gone()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
    async kill(signal = 'SIGKILL') {
      if (gone()) return;
      child.kill(signal);
      await exited;
    },
    logs: () => [...kept],
    onLine: (listener) => {
      listeners.push(listener);
    },
  };
}
