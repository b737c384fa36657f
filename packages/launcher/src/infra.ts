import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ManagedProcess, startProcess } from './processes.js';

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

export async function startNatsServer(dataDir: string, port: number): Promise<Embedded & { process: ManagedProcess }> {
  const found = spawnSync('nats-server', ['--version'], { encoding: 'utf8' });
  if (found.error) {
    throw new LauncherError(
      'nats-server is not on the PATH. Install it (Debian/Ubuntu: apt-get install nats-server) or set NATS_URL.',
    );
  }
  const storeDir = join(dataDir, 'nats');
  mkdirSync(storeDir, { recursive: true });
  const child = startProcess({
    name: 'nats',
    command: 'nats-server',
    args: ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir],
    env: process.env,
    // The server's start-up banner is noise; warnings and errors are not.
    show: (line) => !line.includes('[INF]') || line.includes('Server is ready'),
  });
  await waitForPort(port);
  return { url: `nats://127.0.0.1:${port}`, process: child, stop: () => child.stop() };
}

export async function startPostgres(dataDir: string, port: number): Promise<Embedded> {
  const child = startProcess({
    name: 'postgres',
    command: process.execPath,
    args: [
      repoPath('packages/launcher/dist/postgres-server.js'),
      '--port',
      String(port),
      '--dir',
      join(dataDir, 'postgres'),
    ],
    env: process.env,
  });
  const ready = new Promise<void>((done, fail) => {
    child.child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('listening') && done());
    void child.exited.then((code) => fail(new LauncherError(`PostgreSQL did not start (exit code ${code})`)));
  });
  await ready;
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/pharma`, stop: () => child.stop(30_000) };
}

export async function startS3Server(dataDir: string, port: number, bucket: string): Promise<Embedded> {
  const child = startProcess({
    name: 's3',
    command: process.execPath,
    args: [
      repoPath('packages/launcher/dist/s3-server.js'),
      '--port',
      String(port),
      '--dir',
      join(dataDir, 's3'),
    ].concat(['--bucket', bucket]),
    // Paginated listings fail on the modern OpenSSL defaults without the legacy provider.
    env: { ...process.env, NODE_OPTIONS: '--openssl-legacy-provider' },
  });
  await waitForPort(port);
  return { url: `http://127.0.0.1:${port}`, stop: () => child.stop() };
}

export interface SimulatorPorts {
  app: number;
  api: number;
  accounts: number;
}

export async function startSimulator(
  ports: SimulatorPorts,
): Promise<{ appUrl: string; apiUrl: string; stop(): Promise<void> }> {
  const main = repoPath('packages/sobrus-sim/dist/main.js');
  const child = startProcess({
    name: 'sobrus-sim',
    command: process.execPath,
    args: [main],
    env: {
      ...process.env,
      SIM_HOST: '127.0.0.1',
      SIM_APP_PORT: String(ports.app),
      SIM_API_PORT: String(ports.api),
      SIM_ACCOUNTS_PORT: String(ports.accounts),
    },
  });
  await waitForPort(ports.app);
  return { appUrl: `http://127.0.0.1:${ports.app}`, apiUrl: `http://127.0.0.1:${ports.api}`, stop: () => child.stop() };
}
