import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { embeddedDatabaseUrl, embeddedPostgresDir } from './embedded-database.js';
import { type ManagedProcess, type ProcessOutput, type StartProcessOptions, startProcess } from './processes.js';

const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const repoPath = (...parts: string[]) => join(repoRoot, ...parts);

export interface Embedded {
  url: string;
  stop(): Promise<void>;
}

export async function waitForPort(port: number, timeoutMs = 15_000, host = '127.0.0.1'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((done) => {
      const socket = createConnection({ port, host }, () => {
        socket.end();
        done(true);
      });
      socket.once('error', () => done(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`);
}

export class LauncherError extends Error {}

/** A process that can be stopped, killed and started again with the same command, port and data. */
export interface ProcessHandle {
  readonly name: string;
  /** The pid of the running process; undefined while it is stopped. */
  readonly pid: number | undefined;
  readonly running: boolean;
  /** Starts it (again) and resolves once it is ready; nothing when it runs. */
  start(): Promise<void>;
  /** SIGTERM (SIGKILL after the stop timeout); resolves once it is gone. */
  stop(): Promise<void>;
  /** Sends a signal (SIGKILL by default) and resolves once it is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Stops it when it runs, then starts it again. */
  restart(): Promise<void>;
  /** Output lines of every run of it, oldest first, with a marker line at each start. */
  logs(): string[];
}

export interface RestartableOptions {
  /** How to start it; called at each start. */
  spec: () => StartProcessOptions;
  /** Resolves once a freshly started process is ready to serve. */
  ready: (process: ManagedProcess) => Promise<void>;
  stopTimeoutMs?: number;
  /** Every exit, with `expected` false when it was not asked for (a crash, or a kill from outside). */
  onExit?: (code: number | null, signal: NodeJS.Signals | null, expected: boolean) => void;
}

export class RestartableProcess implements ProcessHandle {
  private current: ManagedProcess | undefined;
  private readonly earlier: string[] = [];
  private stopping = false;
  private starts = 0;

  constructor(
    readonly name: string,
    private readonly options: RestartableOptions,
  ) {}

  get pid(): number | undefined {
    return this.running ? this.current?.child.pid : undefined;
  }

  get running(): boolean {
    const child = this.current?.child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  async start(): Promise<void> {
    if (this.running) return;
    if (this.current) this.earlier.push(...this.current.logs());
    this.stopping = false;
    this.starts += 1;
    this.earlier.push(`--- ${this.name} start #${this.starts} at ${new Date().toISOString()} ---`);
    const spec = this.options.spec();
    const process = startProcess({
      ...spec,
      onExit: (code, signal) => {
        spec.onExit?.(code, signal);
        this.options.onExit?.(code, signal, this.stopping);
      },
    });
    this.current = process;
    const died = process.exited.then((code) => {
      throw new LauncherError(
        `${this.name} exited (code ${code}) before it was ready:\n${process.logs().slice(-20).join('\n')}`,
      );
    });
    try {
      await Promise.race([this.options.ready(process), died]);
    } catch (error) {
      await this.kill();
      throw error;
    } finally {
      died.catch(() => {});
    }
  }

  async stop(): Promise<void> {
    if (!this.current) return;
    this.stopping = true;
    await this.current.stop(this.options.stopTimeoutMs);
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.current) return;
    this.stopping = true;
    await this.current.kill(signal);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  logs(): string[] {
    return [...this.earlier, ...(this.current?.logs() ?? [])];
  }
}

export interface EmbeddedServer extends Embedded, ProcessHandle {}

export interface InfraProcessOptions {
  output?: ProcessOutput;
  env?: NodeJS.ProcessEnv;
}

interface EmbeddedOptions extends Omit<RestartableOptions, 'spec'> {
  /** How to start it; its output is prefixed with the server's name. */
  spec: () => Omit<StartProcessOptions, 'name'>;
}

/** Starts a restartable server process, resolves once it is ready, and hands it back with its URL. */
async function startEmbedded(
  name: string,
  url: string,
  { spec, ...options }: EmbeddedOptions,
): Promise<EmbeddedServer> {
  const server = new RestartableProcess(name, { ...options, spec: () => ({ name, ...spec() }) });
  await server.start();
  return Object.assign(server, { url });
}

/** Node on one of this package's own server scripts (`dist/<script>.js`), with its port and data folder. */
function launcherScript(script: string, port: number, dir: string, ...more: string[]) {
  return {
    command: process.execPath,
    args: [repoPath(`packages/launcher/dist/${script}.js`), '--port', String(port), '--dir', dir, ...more],
  };
}

export async function startNatsServer(
  dataDir: string,
  port: number,
  { output, env = process.env }: InfraProcessOptions = {},
): Promise<EmbeddedServer> {
  const found = spawnSync('nats-server', ['--version'], { encoding: 'utf8' });
  if (found.error) {
    throw new LauncherError(
      'nats-server is not on the PATH. Install it (Debian/Ubuntu: apt-get install nats-server) or set NATS_URL.',
    );
  }
  const storeDir = join(dataDir, 'nats');
  mkdirSync(storeDir, { recursive: true });
  return startEmbedded('nats', `nats://127.0.0.1:${port}`, {
    spec: () => ({
      command: 'nats-server',
      args: ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir],
      env,
      output,
      // The server's start-up banner is noise; warnings and errors are not.
      show: (line) => !line.includes('[INF]') || line.includes('Server is ready'),
    }),
    ready: () => waitForPort(port),
  });
}

export async function startPostgres(
  dataDir: string,
  port: number,
  { output, env = process.env }: InfraProcessOptions = {},
): Promise<EmbeddedServer> {
  return startEmbedded('postgres', embeddedDatabaseUrl(port), {
    spec: () => ({ ...launcherScript('postgres-server', port, embeddedPostgresDir(dataDir)), env, output }),
    ready: (child) =>
      new Promise<void>((done) => {
        child.onLine((line) => {
          if (line.includes('listening')) done();
        });
      }),
    stopTimeoutMs: 30_000,
  });
}

export async function startS3Server(
  dataDir: string,
  port: number,
  bucket: string,
  { output, env = process.env }: InfraProcessOptions = {},
): Promise<EmbeddedServer> {
  return startEmbedded('s3', `http://127.0.0.1:${port}`, {
    spec: () => ({
      ...launcherScript('s3-server', port, join(dataDir, 's3'), '--bucket', bucket),
      // Paginated listings fail on the modern OpenSSL defaults without the legacy provider.
      env: { ...env, NODE_OPTIONS: '--openssl-legacy-provider' },
      output,
    }),
    ready: () => waitForPort(port),
  });
}

export interface SimulatorPorts {
  app: number;
  api: number;
  accounts: number;
}

export interface EmbeddedSimulator extends EmbeddedServer {
  appUrl: string;
  apiUrl: string;
  accountsUrl: string;
}

/** The Sobrus simulator in its own process; `env` may carry its `SIM_*` settings (seed, customers, faults). */
export async function startSimulator(
  ports: SimulatorPorts,
  { output, env = process.env }: InfraProcessOptions = {},
): Promise<EmbeddedSimulator> {
  const appUrl = `http://127.0.0.1:${ports.app}`;
  const server = await startEmbedded('sobrus-sim', appUrl, {
    spec: () => ({
      command: process.execPath,
      args: [repoPath('packages/sobrus-sim/dist/main.js')],
      env: {
        ...env,
        SIM_HOST: '127.0.0.1',
        SIM_APP_PORT: String(ports.app),
        SIM_API_PORT: String(ports.api),
        SIM_ACCOUNTS_PORT: String(ports.accounts),
      },
      output,
    }),
    ready: () => waitForPort(ports.app),
  });
  return Object.assign(server, {
    appUrl,
    apiUrl: `http://127.0.0.1:${ports.api}`,
    accountsUrl: `http://127.0.0.1:${ports.accounts}`,
  });
}
