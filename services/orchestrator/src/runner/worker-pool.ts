import { Worker } from 'node:worker_threads';
import type { Log } from '@pharma/shared/logger';
import {
  SCRIPT_WORKER_ENTRY,
  WORKER_READY,
  type WorkerReply,
  type WorkerRequest,
} from '../consumers/script-worker.consumer.js';
import type { OutputCheck, OutputCheckRequest } from '../services/output.service.js';
import type { ScriptOutcome, TaskEnv } from './script-outcome.js';
import { TailBuffer } from './tail-buffer.js';

// Each worker first registers tsx's loader (client modules may be TypeScript; so may the worker itself when the
// service runs from sources), then imports the worker code.
const bootstrap = (entry: URL) => `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })
  .catch((error) => { process.stderr.write(String(error?.stack ?? error)); process.exit(70); });`;

interface Slot {
  worker: Worker;
  /** Whether the worker loaded (false: it exited first). */
  ready: Promise<boolean>;
  stdout?: TailBuffer;
  stderr?: TailBuffer;
  /** Ends the module's task at once, as lost (the worker is terminated): set while a task runs. */
  stop?: () => void;
}

export interface ModuleRunOptions {
  script: string;
  version: string;
  env: TaskEnv;
  timeoutMs: number;
  tailBytes: number;
  check?: OutputCheckRequest;
}

/**
 * Warm worker threads for `.ts`/`.js` client modules: a module is imported once per worker and its conversion
 * function called per task, saving a process start per task. The workers also check and move every task's output
 * (off the service's main thread). A worker that crashes, exits or overruns its timeout is terminated and replaced.
 */
export class ScriptWorkerPool {
  private readonly idle: Slot[] = [];
  private readonly busy = new Set<Slot>();
  private readonly waiting: ((slot: Slot | undefined) => void)[] = [];
  private live = 0;
  private nextId = 1;
  private closed = false;

  private readonly bootstrap: string;

  /** `entry`: the module each worker runs (consumers/script-worker.consumer.ts). */
  constructor(
    private readonly size: number,
    private readonly logger: Log,
    entry: URL = SCRIPT_WORKER_ENTRY,
  ) {
    this.bootstrap = bootstrap(entry);
  }

  /** Starts every worker now, so the first tasks do not pay for it. */
  warm(): void {
    while (this.live < this.size) this.idle.push(this.spawn());
  }

  get workers(): number {
    return this.live;
  }

  /** Runs a module's conversion function, then, given `options.check`, checks and moves what it wrote. */
  async run(options: ModuleRunOptions): Promise<ScriptOutcome> {
    const request = {
      kind: 'convert' as const,
      script: options.script,
      version: options.version,
      context: contextOf(options.env),
      ...(options.check ? { check: options.check } : {}),
    };
    const end = await this.exchange(request, options);
    return {
      exitCode: end.exitCode,
      timedOut: end.timedOut,
      ...(end.lost ? { lost: true } : {}),
      durationMs: end.scriptMs ?? end.durationMs,
      stdout: end.stdout,
      stderr: end.stderr,
      error: end.error,
      ...(end.output ? { output: end.output } : {}),
    };
  }

  /**
   * Checks and moves what a script run elsewhere wrote since `startedAt`, in a worker. `lost`: no answer (the pool
   * stopping, the worker crashed or overran `timeoutMs`).
   */
  async check(
    check: OutputCheckRequest,
    startedAt: number,
    timeoutMs: number,
  ): Promise<{ output: OutputCheck } | { lost: string }> {
    const end = await this.exchange({ kind: 'check', check, startedAt }, { timeoutMs, tailBytes: 0 });
    if (end.output) return { output: end.output };
    return { lost: `output check: ${end.error ?? (end.timedOut ? `no answer after ${timeoutMs} ms` : 'no answer')}` };
  }

  /** One request to a free worker, and its answer; a worker that overruns `timeoutMs`, crashes or exits is replaced. */
  private async exchange(
    request: DistributiveOmit<WorkerRequest, 'id'>,
    options: { timeoutMs: number; tailBytes: number },
  ): Promise<Exchanged> {
    const slot = await this.acquire();
    if (!slot) return lostEnd('stopped: the script worker pool is closed');
    // A worker still starting (loading tsx) is waited for outside the script's time limit.
    if (!(await slot.ready)) {
      this.replace(slot, 'did not start');
      return lostEnd('the script worker did not start');
    }
    const started = performance.now();
    const stdout = new TailBuffer(options.tailBytes);
    const stderr = new TailBuffer(options.tailBytes);
    slot.stdout = stdout;
    slot.stderr = stderr;
    const id = this.nextId++;
    const outcome = await new Promise<RunEnd>((resolve) => {
      const finish = (result: RunEnd) => {
        clearTimeout(timer);
        slot.stop = undefined;
        this.busy.delete(slot);
        slot.worker.off('message', onMessage);
        slot.worker.off('exit', onExit);
        slot.worker.off('error', onError);
        resolve(result);
      };
      let crash: string | undefined;
      const onMessage = (reply: WorkerReply) => {
        if (reply.id !== id) return;
        if (reply.ok) {
          finish({ exitCode: 0, timedOut: false, healthy: true, scriptMs: reply.scriptMs, output: reply.output });
        } else {
          stderr.push(`${reply.error}\n`);
          finish({
            exitCode: 1,
            timedOut: false,
            error: firstLine(reply.error),
            healthy: true,
            scriptMs: reply.scriptMs,
          });
        }
      };
      const onError = (error: Error) => {
        crash = error.message;
        stderr.push(`${error.stack ?? error.message}\n`);
      };
      const onExit = (code: number) =>
        finish({ exitCode: code === 0 ? 1 : code, timedOut: false, error: crash, healthy: false });
      const timer = setTimeout(() => finish({ exitCode: 1, timedOut: true, healthy: false }), options.timeoutMs);
      slot.worker.on('message', onMessage);
      slot.worker.on('exit', onExit);
      slot.worker.on('error', onError);
      slot.stop = () =>
        finish({ exitCode: 1, timedOut: false, lost: true, error: 'stopped: the service is stopping', healthy: false });
      this.busy.add(slot);
      slot.worker.postMessage({ ...request, id } as WorkerRequest);
    });
    slot.stdout = undefined;
    slot.stderr = undefined;
    if (outcome.healthy) this.release(slot);
    else this.replace(slot, outcome.timedOut ? 'timed out' : outcome.lost ? 'stopped' : 'crashed');
    return { ...outcome, durationMs: performance.now() - started, stdout: stdout.text(), stderr: stderr.text() };
  }

  /** Takes no more tasks and ends the running ones at once (their workers terminated, the tasks lost). */
  stopRunning(): void {
    this.closed = true;
    for (const next of this.waiting.splice(0)) next(undefined);
    for (const slot of [...this.busy]) slot.stop?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.idle.splice(0);
    this.live -= slots.length;
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private spawn(): Slot {
    this.live++;
    const worker = new Worker(this.bootstrap, {
      eval: true,
      stdout: true,
      stderr: true,
    });
    let markReady: (ready: boolean) => void = () => {};
    const slot: Slot = { worker, ready: new Promise((resolve) => (markReady = resolve)) };
    const onReady = (message: unknown) => {
      if (message !== WORKER_READY) return;
      worker.off('message', onReady);
      markReady(true);
    };
    worker.on('message', onReady);
    worker.once('exit', () => markReady(false));
    worker.stdout.on('data', (chunk: Buffer) => slot.stdout?.push(chunk));
    worker.stderr.on('data', (chunk: Buffer) => slot.stderr?.push(chunk));
    // A worker that dies while idle is simply dropped; the next task starts a new one.
    worker.on('exit', () => {
      const index = this.idle.indexOf(slot);
      if (index >= 0) {
        this.idle.splice(index, 1);
        this.live--;
      }
    });
    worker.on('error', () => {});
    worker.unref();
    return slot;
  }

  /** A free worker; none once the pool is closed. */
  private acquire(): Promise<Slot | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    const slot = this.idle.pop();
    if (slot) return Promise.resolve(slot);
    if (this.live < this.size) return Promise.resolve(this.spawn());
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(slot: Slot): void {
    const next = this.waiting.shift();
    if (next) next(slot);
    else if (this.closed) {
      this.live--;
      void slot.worker.terminate();
    } else this.idle.push(slot);
  }

  private replace(slot: Slot, why: string): void {
    this.logger.warn({ threadId: slot.worker.threadId, why }, 'script worker replaced');
    this.live--;
    void slot.worker.terminate();
    if (this.closed) return;
    const next = this.waiting.shift();
    const fresh = this.spawn();
    if (next) next(fresh);
    else this.idle.push(fresh);
  }
}

interface RunEnd {
  exitCode: number;
  timedOut: boolean;
  error?: string;
  healthy: boolean;
  lost?: boolean;
  scriptMs?: number;
  output?: OutputCheck;
}

interface Exchanged extends RunEnd {
  /** From the request sent to the answer received. */
  durationMs: number;
  stdout: string;
  stderr: string;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function lostEnd(error: string): Exchanged {
  return { exitCode: 1, timedOut: false, lost: true, healthy: false, error, durationMs: 0, stdout: '', stderr: '' };
}

function contextOf(env: TaskEnv): Record<string, string> {
  return {
    id: env.TASK_ID,
    file: env.TASK_FILE,
    client: env.TASK_CLIENT,
    reportType: env.TASK_REPORT_TYPE,
    outputDir: env.TASK_OUTPUT_DIR,
    headerFile: env.TASK_HEADER_FILE,
    ...env,
  };
}

const firstLine = (text: string) => text.split('\n', 1)[0] ?? text;
