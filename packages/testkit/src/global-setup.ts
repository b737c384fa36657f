import { existsSync } from 'node:fs';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import type { StartedTestContainer } from 'testcontainers';
import type { TestProject } from 'vitest/node';
import type { TestInfra } from './infra.js';

type Stop = () => Promise<unknown>;
const stops: Stop[] = [];

function dockerEngineAvailable(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.DOCKER_HOST) || existsSync('/var/run/docker.sock');
}

/** What the tests need, where the environment names one, and how to start one in a container instead. */
interface Needed<T> {
  what: string;
  /** The variable, with an example value. */
  variable: string;
  /** How to start one without Docker. */
  howToStart: string;
  configured: T | undefined;
  start(containers: typeof import('testcontainers')): Promise<StartedTestContainer>;
  locate(container: StartedTestContainer): T;
}

/** The server the environment names, or else one in a container on a Docker engine (stopped at teardown). */
async function configuredOrContainer<T>(env: NodeJS.ProcessEnv, needed: Needed<T>): Promise<T> {
  if (needed.configured) return needed.configured;
  if (!dockerEngineAvailable(env)) {
    throw new Error(
      `Integration tests need ${needed.what}. Set ${needed.variable}, or run a Docker engine for testcontainers. ${needed.howToStart}`,
    );
  }
  const container = await needed.start(await import('testcontainers'));
  stops.push(() => container.stop());
  return needed.locate(container);
}

async function resolvePostgres(env: NodeJS.ProcessEnv): Promise<string> {
  const url = await configuredOrContainer(env, {
    what: 'PostgreSQL',
    variable: 'TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)',
    howToStart: 'Start one with: pg_ctlcluster <version> main start',
    configured: env.TEST_DATABASE_URL,
    start: ({ GenericContainer, Wait }) =>
      new GenericContainer('postgres:16-alpine')
        .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
        .withExposedPorts(5432)
        .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
        .start(),
    locate: (container) => `postgres://postgres@${container.getHost()}:${container.getMappedPort(5432)}/postgres`,
  });
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(`PostgreSQL at TEST_DATABASE_URL does not answer (${(error as Error).message}). Start it.`);
  } finally {
    await client.end().catch(() => {});
  }
  return url;
}

async function resolveNats(env: NodeJS.ProcessEnv): Promise<string> {
  const url = await configuredOrContainer(env, {
    what: 'NATS with JetStream',
    variable: 'TEST_NATS_URL (e.g. nats://127.0.0.1:4222)',
    howToStart: 'Start one with: nats-server -js -a 127.0.0.1 -p 4222 -sd /tmp/nats',
    configured: env.TEST_NATS_URL,
    start: ({ GenericContainer, Wait }) =>
      new GenericContainer('nats:2.10-alpine')
        .withCommand(['-js'])
        .withExposedPorts(4222)
        .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
        .start(),
    locate: (container) => `nats://${container.getHost()}:${container.getMappedPort(4222)}`,
  });
  try {
    const nc = await connect({ servers: url, timeout: 3_000 });
    await jetstreamManager(nc).catch(() => {
      throw new Error('JetStream is not enabled (start nats-server with -js)');
    });
    await nc.close();
  } catch (error) {
    throw new Error(`NATS at TEST_NATS_URL does not answer with JetStream (${(error as Error).message}). Start it.`);
  }
  return url;
}

async function resolveS3(env: NodeJS.ProcessEnv): Promise<TestInfra['s3']> {
  const s3 = await configuredOrContainer<TestInfra['s3']>(env, {
    what: 'an S3-compatible server',
    variable: 'TEST_S3_ENDPOINT (e.g. http://127.0.0.1:4569)',
    howToStart:
      'Start one with: NODE_OPTIONS=--openssl-legacy-provider node packages/launcher/dist/s3-server.js --port 4569 --dir .data/test-s3',
    configured: env.TEST_S3_ENDPOINT
      ? {
          endpoint: env.TEST_S3_ENDPOINT,
          region: env.TEST_S3_REGION ?? 'us-east-1',
          accessKeyId: env.TEST_S3_ACCESS_KEY_ID ?? 'S3RVER',
          secretAccessKey: env.TEST_S3_SECRET_ACCESS_KEY ?? 'S3RVER',
          forcePathStyle: true,
          checksums: (env.TEST_S3_CHECKSUMS as 'WHEN_SUPPORTED' | 'WHEN_REQUIRED' | undefined) ?? 'WHEN_REQUIRED',
        }
      : undefined,
    start: ({ GenericContainer, Wait }) =>
      new GenericContainer('minio/minio:latest')
        .withCommand(['server', '/data'])
        .withEnvironment({ MINIO_ROOT_USER: 'minioadmin', MINIO_ROOT_PASSWORD: 'minioadmin' })
        .withExposedPorts(9000)
        .withWaitStrategy(Wait.forHttp('/minio/health/live', 9000))
        .start(),
    locate: (container) => ({
      endpoint: `http://${container.getHost()}:${container.getMappedPort(9000)}`,
      region: 'us-east-1',
      accessKeyId: 'minioadmin',
      secretAccessKey: 'minioadmin',
      forcePathStyle: true,
      checksums: 'WHEN_SUPPORTED',
    }),
  });
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
  try {
    await client.send(new ListBucketsCommand({}));
  } catch (error) {
    throw new Error(`S3 at TEST_S3_ENDPOINT does not answer (${(error as Error).message}). Start it.`);
  } finally {
    client.destroy();
  }
  return s3;
}

export async function setup(project: TestProject): Promise<void> {
  const env = process.env;
  const [databaseUrl, natsUrl, s3] = await Promise.all([resolvePostgres(env), resolveNats(env), resolveS3(env)]);
  project.provide('infra', { databaseUrl, natsUrl, s3 });
}

export async function teardown(): Promise<void> {
  await Promise.allSettled(stops.map((stop) => stop()));
}
