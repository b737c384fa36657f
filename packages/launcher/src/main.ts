import { ConfigError, parseEnv, Type } from '@pharma/shared/config';
import { DEFAULT_DATA_DIR } from './embedded-database.js';
import { LauncherError } from './infra.js';
import { type Platform, startPlatform } from './platform.js';
import { choosePort } from './ports.js';
import { SERVICE_NAMES, SERVICES, type ServiceName } from './service-env.js';

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
  PLATFORM_DATA_DIR: Type.String({ default: DEFAULT_DATA_DIR }),
  HOST: Type.String({ default: '127.0.0.1' }),
  LOG_LEVEL: Type.String({ default: 'info' }),
  ...Object.fromEntries(Object.values(SERVICES).map(({ env, port }) => [env, Type.Integer({ default: port })])),
});

const say = (message: string) => process.stdout.write(`${'launcher'.padEnd(14)}| ${message}\n`);

async function main() {
  const env = parseEnv(LauncherEnv, process.env);
  const portOf = (name: ServiceName) => Number((env as Record<string, unknown>)[SERVICES[name].env]);
  const starting = new AbortController();
  let startup: Promise<Platform> | undefined;
  let stopping = false;

  const stopAll = async (exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    starting.abort();
    // A start in progress stops what it started when aborted; a finished one is stopped here.
    const platform = await startup?.catch(() => undefined);
    await platform?.stop();
    say('stopped');
    process.exit(exitCode);
  };
  process.once('SIGINT', () => void stopAll());
  process.once('SIGTERM', () => void stopAll());

  try {
    startup = startPlatform({
      dataDir: env.PLATFORM_DATA_DIR,
      host: env.HOST,
      logLevel: env.LOG_LEVEL,
      ...(env.NATS_URL ? { natsUrl: env.NATS_URL } : { natsPort: await choosePort(4222) }),
      natsPrefix: env.NATS_PREFIX,
      ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { postgresPort: await choosePort(5433) }),
      s3: {
        ...(env.S3_ENDPOINT ? { endpoint: env.S3_ENDPOINT } : {}),
        region: env.S3_REGION,
        bucket: env.S3_BUCKET,
        accessKeyId: env.S3_ACCESS_KEY_ID,
        secretAccessKey: env.S3_SECRET_ACCESS_KEY,
      },
      ...(env.S3_ENDPOINT ? {} : { s3Port: await choosePort(4569) }),
      ...(env.SOBRUS_APP_URL
        ? { sobrus: { appUrl: env.SOBRUS_APP_URL, apiUrl: env.SOBRUS_API_URL ?? '' } }
        : {
            simulator: {
              ports: { app: await choosePort(9080), api: await choosePort(9081), accounts: await choosePort(9082) },
            },
          }),
      ports: Object.fromEntries(SERVICE_NAMES.map((name) => [name, portOf(name)])),
      readyTimeoutMs: 30_000,
      signal: starting.signal,
      onMessage: say,
      onServiceExit: (name, code, signal, expected) => {
        if (!expected && !stopping) say(`${name} exited (${signal ?? `code ${code}`}); the others keep running`);
      },
    });
    const platform = await startup;
    say(`Platform ready: ${platform.gatewayUrl} (health: /api/health). Ctrl-C stops everything.`);
  } catch (error) {
    if (stopping) return;
    say(error instanceof LauncherError || error instanceof ConfigError ? error.message : String(error));
    await stopAll(1);
  }
}

await main();
