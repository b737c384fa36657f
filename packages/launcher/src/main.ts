import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, parseEnv, Type } from '@pharma/shared/config';
import {
  type Embedded,
  LauncherError,
  repoPath,
  startNatsServer,
  startPostgres,
  startS3Server,
  startSimulator,
  waitForPort,
} from './infra.js';
import { choosePort } from './ports.js';
import { type ManagedProcess, startProcess } from './processes.js';
import { type PlatformInfra, SERVICE_NAMES, SERVICES, type ServiceName, serviceEnv } from './service-env.js';

// `npm start`: the whole platform natively, one process per service, with embedded infrastructure
// wherever no URL is configured.
const LauncherEnv = Type.Object({
  NATS_URL: Type.Optional(Type.String()),
  NATS_PREFIX: Type.Optional(Type.String()),
  DATABASE_URL: Type.Optional(Type.String()),
  S3_ENDPOINT: Type.Optional(Type.String()),
  S3_BUCKET: Type.String({ default: 'pharma-data' }),
  S3_REGION: Type.String({ default: 'us-east-1' }),
  S3_ACCESS_KEY_ID: Type.String({ default: 'S3RVER' }),
  S3_SECRET_ACCESS_KEY: Type.String({ default: 'S3RVER' }),
  SOBRUS_APP_URL: Type.Optional(Type.String()),
  SOBRUS_API_URL: Type.Optional(Type.String()),
  PLATFORM_DATA_DIR: Type.String({ default: '.data' }),
  HOST: Type.String({ default: '127.0.0.1' }),
  LOG_LEVEL: Type.String({ default: 'info' }),
  ...Object.fromEntries(Object.values(SERVICES).map(({ env, port }) => [env, Type.Integer({ default: port })])),
});

const say = (message: string) => process.stdout.write(`${'launcher'.padEnd(14)}| ${message}\n`);

async function main() {
  const env = parseEnv(LauncherEnv, process.env);
  const portOf = (name: ServiceName) => Number((env as Record<string, unknown>)[SERVICES[name].env]);
  const dataDir = resolve(env.PLATFORM_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const started: Embedded[] = [];
  const services: ManagedProcess[] = [];
  let stopping = false;

  const stopAll = async (exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    await Promise.allSettled(services.map((service) => service.stop()));
    for (const part of started.reverse()) await part.stop().catch(() => {});
    say('stopped');
    process.exit(exitCode);
  };
  process.once('SIGINT', () => void stopAll());
  process.once('SIGTERM', () => void stopAll());

  try {
    let natsUrl = env.NATS_URL;
    if (!natsUrl) {
      const nats = await startNatsServer(dataDir, await choosePort(4222));
      started.push(nats);
      natsUrl = nats.url;
      say(`NATS JetStream started at ${natsUrl}`);
    }
    let databaseUrl = env.DATABASE_URL;
    if (!databaseUrl) {
      const postgres = await startPostgres(dataDir, await choosePort(5433));
      started.push(postgres);
      databaseUrl = postgres.url;
      say(`PostgreSQL started on ${new URL(databaseUrl).host} (data in ${dataDir}/postgres)`);
    }
    let s3Endpoint = env.S3_ENDPOINT;
    if (!s3Endpoint) {
      const s3 = await startS3Server(dataDir, await choosePort(4569), env.S3_BUCKET);
      started.push(s3);
      s3Endpoint = s3.url;
      say(`S3-compatible server started at ${s3Endpoint} (data in ${dataDir}/s3)`);
    }
    let sobrus = { appUrl: env.SOBRUS_APP_URL ?? '', apiUrl: env.SOBRUS_API_URL ?? '' };
    if (!env.SOBRUS_APP_URL) {
      const sim = await startSimulator({
        app: await choosePort(9080),
        api: await choosePort(9081),
        accounts: await choosePort(9082),
      });
      started.push({ url: sim.appUrl, stop: sim.stop });
      sobrus = sim;
      say(`Demo mode: Sobrus simulator at ${sim.appUrl} (see packages/sobrus-sim/README.md for demo accounts)`);
    }

    const infra: PlatformInfra = {
      natsUrl,
      natsPrefix: env.NATS_PREFIX,
      databaseUrl,
      s3: {
        endpoint: s3Endpoint,
        region: env.S3_REGION,
        bucket: env.S3_BUCKET,
        accessKeyId: env.S3_ACCESS_KEY_ID,
        secretAccessKey: env.S3_SECRET_ACCESS_KEY,
        forcePathStyle: true,
        checksums: env.S3_ENDPOINT ? 'WHEN_SUPPORTED' : 'WHEN_REQUIRED',
      },
      sobrus,
      dataDir,
      host: env.HOST,
      logLevel: env.LOG_LEVEL,
      ports: Object.fromEntries(SERVICE_NAMES.map((name) => [name, portOf(name)])) as PlatformInfra['ports'],
    };
    for (const name of SERVICE_NAMES) {
      services.push(
        startProcess({
          name,
          command: process.execPath,
          args: [repoPath(`services/${name}/dist/main.js`)],
          env: { ...process.env, ...serviceEnv(name, infra) },
          onExit: (code, signal) => {
            if (!stopping) say(`${name} exited (${signal ?? `code ${code}`}); the others keep running`);
          },
        }),
      );
    }
    await Promise.all(SERVICE_NAMES.map((name) => waitForPort(infra.ports[name], 30_000, infra.host)));
    say(`Platform ready: http://${infra.host}:${infra.ports.gateway} (health: /api/health). Ctrl-C stops everything.`);
  } catch (error) {
    say(error instanceof LauncherError || error instanceof ConfigError ? error.message : String(error));
    await stopAll(1);
  }
}

await main();
