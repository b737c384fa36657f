import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  type EmbeddedServer,
  type EmbeddedSimulator,
  LauncherError,
  type ProcessHandle,
  RestartableProcess,
  repoPath,
  type SimulatorPorts,
  startNatsServer,
  startPostgres,
  startS3Server,
  startSimulator,
  waitForPort,
} from './infra.js';
import { freePort, isPortFree } from './ports.js';
import type { ProcessOutput } from './processes.js';
import {
  type PlatformInfra,
  SERVICE_NAMES,
  SERVICE_NEEDS,
  SERVICES,
  type ServiceName,
  serviceEnv,
} from './service-env.js';

/**
 * The whole platform as child processes — its own NATS, PostgreSQL, S3 server and Sobrus simulator unless
 * their URLs are given — with a handle on each part to stop, kill or restart it. `npm start` runs on it, and
 * so do the failure drills and load benchmarks.
 */
export interface PlatformOptions {
  /** Folder of every part's data; default: a new temporary folder, removed by `stop()`. */
  dataDir?: string;
  /** Keep a temporary data folder after `stop()` (to look at it). */
  keepDataDir?: boolean;
  host?: string;
  logLevel?: string;
  /** An existing NATS server; default: a `nats-server` of its own (port `natsPort`, or a free one). */
  natsUrl?: string;
  natsPort?: number;
  natsPrefix?: string;
  /** An existing PostgreSQL; default: an embedded one of its own (port `postgresPort`, or a free one). */
  databaseUrl?: string;
  postgresPort?: number;
  /** An existing S3 endpoint (with its credentials); default: a local S3 server of its own. */
  s3?: Partial<PlatformInfra['s3']>;
  s3Port?: number;
  /** A Sobrus (or simulator) elsewhere; default: the simulator in demo mode, in its own process. */
  sobrus?: { appUrl: string; apiUrl: string };
  simulator?: {
    ports?: Partial<SimulatorPorts>;
    /** `SIM_*` settings, e.g. `{ SIM_FAULTS: JSON.stringify({ latencyMs: { statement: 200 } }) }`. */
    env?: Record<string, string>;
  };
  /** The services to run (default: all of them); PostgreSQL, S3 and the simulator start only when one needs them. */
  services?: ServiceName[];
  /** HTTP ports of the services; default: free ports. */
  ports?: Partial<Record<ServiceName, number>>;
  /** Extra variables for one service (e.g. smaller timeouts). */
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  /** The environment every child starts from (default: this process's). */
  baseEnv?: NodeJS.ProcessEnv;
  /** Where the prefixed output lines of every process go (default: stdout); `false`: kept in `logs()` only. */
  output?: ProcessOutput;
  /** The harness's own messages (what it started where). */
  onMessage?: (message: string) => void;
  /** Every exit of a service; `expected` is false when nobody asked for it through the platform. */
  onServiceExit?: (name: ServiceName, code: number | null, signal: NodeJS.Signals | null, expected: boolean) => void;
  /** How long a part may take to start listening (default 60 s). */
  readyTimeoutMs?: number;
  /** Aborting while starting stops what was started and rejects. */
  signal?: AbortSignal;
}

export interface ServiceHandle extends ProcessHandle {
  readonly name: ServiceName;
  readonly port: number;
  readonly url: string;
  /** Variables added to (or replacing) its environment from its next start on. */
  setEnv(variables: Record<string, string>): void;
}

export interface Platform {
  /** Base URL of the gateway, e.g. `http://127.0.0.1:8080`. */
  gatewayUrl: string;
  infra: PlatformInfra;
  dataDir: string;
  services: Record<ServiceName, ServiceHandle>;
  /** The parts the platform runs itself (absent when their URL was given). */
  nats?: EmbeddedServer;
  postgres?: EmbeddedServer;
  s3?: EmbeddedServer;
  simulator?: EmbeddedSimulator;
  /** Stops every service (SIGTERM, in parallel), then the infrastructure; removes a temporary data folder. */
  stop(): Promise<void>;
}

const S3_DEFAULTS = { region: 'us-east-1', bucket: 'pharma-data', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export async function startPlatform(options: PlatformOptions = {}): Promise<Platform> {
  const host = options.host ?? '127.0.0.1';
  const output = options.output;
  const env = options.baseEnv ?? process.env;
  const say = options.onMessage ?? (() => {});
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const ownDataDir = options.dataDir === undefined;
  const dataDir = resolve(options.dataDir ?? mkdtempSync(join(tmpdir(), 'pharma-platform-')));
  mkdirSync(dataDir, { recursive: true });
  // The embedded PostgreSQL runs as the `postgres` user when we are root: it must be able to reach its folder.
  if (ownDataDir) chmodSync(dataDir, 0o755);

  const started: EmbeddedServer[] = [];
  const services = {} as Record<ServiceName, ServiceHandle>;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.allSettled(Object.values(services).map((service) => service.stop()));
    for (const part of [...started].reverse()) await part.stop().catch(() => {});
    if (ownDataDir && !options.keepDataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  const checkAborted = () => {
    if (options.signal?.aborted) throw new Error('platform start aborted');
  };
  const keep = <T extends EmbeddedServer>(part: T): T => {
    started.push(part);
    return part;
  };

  const names = options.services ?? SERVICE_NAMES;
  const needed = (need: 'postgres' | 's3' | 'sobrus') => names.some((name) => SERVICE_NEEDS[name][need]);
  try {
    const parts = { output, env };
    const settled = await Promise.allSettled([
      options.natsUrl
        ? undefined
        : (async () => keep(await startNatsServer(dataDir, options.natsPort ?? (await freePort()), parts)))(),
      options.databaseUrl || !needed('postgres')
        ? undefined
        : (async () => keep(await startPostgres(dataDir, options.postgresPort ?? (await freePort()), parts)))(),
      options.s3?.endpoint || !needed('s3')
        ? undefined
        : (async () =>
            keep(
              await startS3Server(
                dataDir,
                options.s3Port ?? (await freePort()),
                options.s3?.bucket ?? S3_DEFAULTS.bucket,
                parts,
              ),
            ))(),
      options.sobrus || !needed('sobrus')
        ? undefined
        : (async () => {
            const ports = options.simulator?.ports ?? {};
            const chosen = {
              app: ports.app ?? (await freePort()),
              api: ports.api ?? (await freePort()),
              accounts: ports.accounts ?? (await freePort()),
            };
            return keep(await startSimulator(chosen, { output, env: { ...env, ...options.simulator?.env } }));
          })(),
    ] as const);
    for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;
    const [nats, postgres, s3, simulator] = settled.map((outcome) =>
      outcome.status === 'fulfilled' ? outcome.value : undefined,
    ) as [EmbeddedServer?, EmbeddedServer?, EmbeddedServer?, EmbeddedSimulator?];
    checkAborted();
    const natsUrl = options.natsUrl ?? (nats as EmbeddedServer).url;
    const databaseUrl = options.databaseUrl ?? postgres?.url ?? '';
    const s3Endpoint = options.s3?.endpoint ?? s3?.url ?? '';
    if (nats) say(`NATS JetStream started at ${natsUrl}`);
    if (postgres) say(`PostgreSQL started on ${new URL(databaseUrl).host} (data in ${dataDir}/postgres)`);
    if (s3) say(`S3-compatible server started at ${s3Endpoint} (data in ${dataDir}/s3)`);
    if (simulator) {
      say(`Demo mode: Sobrus simulator at ${simulator.appUrl} (see packages/sobrus-sim/README.md for demo accounts)`);
    }

    const ports = {} as Record<ServiceName, number>;
    for (const name of SERVICE_NAMES) ports[name] = options.ports?.[name] ?? (await freePort(host));
    const infra: PlatformInfra = {
      natsUrl,
      natsPrefix: options.natsPrefix,
      databaseUrl,
      s3: {
        endpoint: s3Endpoint,
        region: options.s3?.region ?? S3_DEFAULTS.region,
        bucket: options.s3?.bucket ?? S3_DEFAULTS.bucket,
        accessKeyId: options.s3?.accessKeyId ?? S3_DEFAULTS.accessKeyId,
        secretAccessKey: options.s3?.secretAccessKey ?? S3_DEFAULTS.secretAccessKey,
        forcePathStyle: options.s3?.forcePathStyle ?? true,
        // The local S3 server mishandles streamed checksums; real S3 and MinIO are fine with them.
        checksums: options.s3?.checksums ?? (options.s3?.endpoint ? 'WHEN_SUPPORTED' : 'WHEN_REQUIRED'),
      },
      sobrus: options.sobrus ?? { appUrl: simulator?.appUrl ?? '', apiUrl: simulator?.apiUrl ?? '' },
      dataDir,
      host,
      logLevel: options.logLevel ?? 'info',
      ports,
    };

    // A port someone else listens on would look like a started service: say so before starting anything.
    for (const name of names) {
      if (!(await isPortFree(ports[name], host))) {
        throw new LauncherError(
          `port ${ports[name]} of ${name} is already in use: stop what listens there or set ${SERVICES[name].env}`,
        );
      }
    }
    const extraEnv: Partial<Record<ServiceName, Record<string, string>>> = { ...options.serviceEnv };
    for (const name of names) {
      const handle = new RestartableProcess(name, {
        spec: () => ({
          name,
          command: process.execPath,
          args: [repoPath(`services/${name}/dist/main.js`)],
          env: { ...env, ...serviceEnv(name, infra), ...extraEnv[name] },
          output,
        }),
        ready: () => waitForPort(ports[name], readyTimeoutMs, host),
        onExit: (code, signal, expected) => options.onServiceExit?.(name, code, signal, expected || stopped),
      });
      services[name] = Object.assign(handle, {
        name,
        port: ports[name],
        url: `http://${host}:${ports[name]}`,
        setEnv: (variables: Record<string, string>) => {
          extraEnv[name] = { ...extraEnv[name], ...variables };
        },
      });
    }
    await Promise.all(Object.values(services).map((service) => service.start()));
    checkAborted();

    return {
      gatewayUrl: `http://${host}:${ports.gateway}`,
      infra,
      dataDir,
      services,
      ...(nats ? { nats } : {}),
      ...(postgres ? { postgres } : {}),
      ...(s3 ? { s3 } : {}),
      ...(simulator ? { simulator } : {}),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
