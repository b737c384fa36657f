import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Log } from '@pharma/shared/logger';
import type { HostReply, HostRunRequest } from './host-protocol.js';
import { killGroup } from './process-runner.js';
import type { ScriptOutcome } from './script-outcome.js';

/** How to start a host: the Node spawner, or a warm Python interpreter. */
export interface HostCommand {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
}

export interface HostReady {
  pid: number;
  version?: string;
}

/** A host that does not report a script's end this long after its timeout is stuck: it is killed and replaced. */
const OVERDUE_GRACE_MS = 10_000;
const START_TIMEOUT_MS = 30_000;

interface Pending {
  resolve: (outcome: ScriptOutcome) => void;
  timer: NodeJS.Timeout;
  started: number;
  pid?: number;
}

interface Connection {
  child: ChildProcessByStdio<Writable, Readable, Readable>;
  pending: Map<number, Pending>;
  ready: Promise<HostReady>;
}

/**
 * A long-lived helper process that starts scripts for the orchestrator and reports how they ended. Requests and
 * replies are JSON lines over the host's stdin and stdout. A host that exits or stops answering is replaced at the
 * next request; its scripts' process groups are killed and their tasks end as `lost` (a retryable failure), never
 * left waiting. The host's pipes do not keep the service alive; a task in flight does (its timer).
 */
export class ScriptHost {
  private connection?: Connection;
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly spec: HostCommand,
    private readonly logger: Log,
  ) {}

  /** Starts the host if it is not running, and waits until it answers. */
  start(): Promise<HostReady> {
    return this.connect().ready;
  }

  /** The host's process id, while one runs. */
  get pid(): number | undefined {
    return this.connection?.child.pid;
  }

  run(request: Omit<HostRunRequest, 'id'>): Promise<ScriptOutcome> {
    if (this.closed) return Promise.resolve(lostOutcome(0, `the ${this.spec.name} is closed`));
    const connection = this.connect();
    const id = this.nextId++;
    return new Promise((resolve) => {
      const pending: Pending = {
        resolve,
        started: performance.now(),
        timer: setTimeout(() => this.overdue(connection, id), request.timeoutMs + OVERDUE_GRACE_MS),
      };
      connection.pending.set(id, pending);
      connection.child.stdin.write(`${JSON.stringify({ id, ...request })}\n`);
    });
  }

  /** Ends the host: it kills the process groups of scripts still running and exits. */
  async close(): Promise<void> {
    this.closed = true;
    const connection = this.connection;
    if (!connection) return;
    const { child } = connection;
    if (child.pid === undefined) return;
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    connection.child.stdin.end();
    const timer = setTimeout(() => connection.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  private connect(): Connection {
    if (this.connection) return this.connection;
    const child = spawn(this.spec.command, this.spec.args, {
      env: this.spec.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let markReady: (ready: HostReady) => void = () => {};
    let failStart: (error: Error) => void = () => {};
    const ready = new Promise<HostReady>((resolve, reject) => {
      markReady = resolve;
      failStart = reject;
    });
    ready.catch(() => {});
    const connection: Connection = { child, pending: new Map(), ready };
    this.connection = connection;
    const startTimer = setTimeout(() => {
      failStart(new Error(`the ${this.spec.name} did not start within ${START_TIMEOUT_MS} ms`));
      child.kill('SIGKILL');
    }, START_TIMEOUT_MS);
    startTimer.unref();

    createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
      let reply: HostReply;
      try {
        reply = JSON.parse(line) as HostReply;
      } catch {
        this.logger.warn(
          { host: this.spec.name, line: line.slice(0, 500) },
          'script host wrote a line that is not JSON',
        );
        return;
      }
      if (reply.type === 'ready') {
        clearTimeout(startTimer);
        markReady({ pid: reply.pid, version: reply.version });
        return;
      }
      const pending = connection.pending.get(reply.id);
      if (!pending) return;
      if (reply.type === 'started') {
        pending.pid = reply.pid;
        return;
      }
      connection.pending.delete(reply.id);
      clearTimeout(pending.timer);
      const { type: _type, id: _id, ...outcome } = reply;
      pending.resolve(outcome);
    });
    createInterface({ input: child.stderr, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
      this.logger.warn({ host: this.spec.name, pid: child.pid, stderr: line.slice(0, 2_000) }, 'script host stderr');
    });
    child.stdin.on('error', () => {});
    let gone = false;
    // The host exited, or never started: its tasks end as lost, the next request starts a new host.
    const end = (why: string) => {
      if (gone) return;
      gone = true;
      clearTimeout(startTimer);
      failStart(new Error(`the ${this.spec.name} ${why} before it was ready`));
      if (this.connection === connection) this.connection = undefined;
      if (connection.pending.size > 0 || !this.closed) {
        this.logger.warn(
          { host: this.spec.name, pid: child.pid, why, inFlight: connection.pending.size },
          'script host ended',
        );
      }
      for (const pending of connection.pending.values()) {
        clearTimeout(pending.timer);
        killGroup(pending.pid);
        pending.resolve(lostOutcome(pending.started, `the ${this.spec.name} ${why}`));
      }
      connection.pending.clear();
    };
    child.on('error', (error) => {
      this.logger.error({ host: this.spec.name, err: error }, 'script host failed');
      // A process that could not be started emits no exit.
      if (child.pid === undefined) end(`could not be started (${error.message})`);
    });
    child.on('exit', (code, signal) => end(`exited (${signal ?? code})`));
    // Neither the host nor its pipes keep the service alive: a task in flight does, by its timer.
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as { unref?(): void }).unref?.();
    return connection;
  }

  private overdue(connection: Connection, id: number): void {
    const pending = connection.pending.get(id);
    if (!pending) return;
    this.logger.error({ host: this.spec.name, pid: connection.child.pid }, 'script host stopped answering: replaced');
    // The exit handler ends every task of this host, this one included.
    connection.child.kill('SIGKILL');
  }
}

function lostOutcome(started: number, error: string): ScriptOutcome {
  return {
    exitCode: 1,
    timedOut: false,
    lost: true,
    durationMs: started ? performance.now() - started : 0,
    stdout: '',
    stderr: '',
    error,
  };
}
