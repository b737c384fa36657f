import { existsSync } from 'node:fs';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import type { TestInfra } from './infra.js';

type Stop = () => Promise<unknown>;
const stops: Stop[] = [];

function dockerEngineAvailable(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.DOCKER_HOST) || existsSync('/var/run/docker.sock');
}

function missing(what: string, variable: string, howToStart: string): Error {
  return new Error(
    `Integration tests need ${what}. Set ${variable}, or run a Docker engine for testcontainers. ${howToStart}`,
  );
}

async function resolvePostgres(env: NodeJS.ProcessEnv): Promise<string> {
  let url = env.TEST_DATABASE_URL;
  if (!url) {
    if (!dockerEngineAvailable(env)) {
      throw missing(
        'PostgreSQL',
        'TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)',
        'Start one with: pg_ctlcluster <version> main start',
      );
    }
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer('postgres:16-alpine')
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start();
    stops.push(() => container.stop());
    url = `postgres://postgres@${container.getHost()}:${container.getMappedPort(5432)}/postgres`;
  }
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
  let url = env.TEST_NATS_URL;
  if (!url) {
    if (!dockerEngineAvailable(env)) {
      throw missing(
        'NATS with JetStream',
        'TEST_NATS_URL (e.g. nats://127.0.0.1:4222)',
        'Start one with: nats-server -js -a 127.0.0.1 -p 4222 -sd /tmp/nats',
      );
    }
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer('nats:2.10-alpine')
      .withCommand(['-js'])
      .withExposedPorts(4222)
      .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
      .start();
    stops.push(() => container.stop());
    url = `nats://${container.getHost()}:${container.getMappedPort(4222)}`;
  }
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
  let s3: TestInfra['s3'] | undefined;
  if (env.TEST_S3_ENDPOINT) {
    s3 = {
      endpoint: env.TEST_S3_ENDPOINT,
      region: env.TEST_S3_REGION ?? 'us-east-1',
      accessKeyId: env.TEST_S3_ACCESS_KEY_ID ?? 'S3RVER',
      secretAccessKey: env.TEST_S3_SECRET_ACCESS_KEY ?? 'S3RVER',
      forcePathStyle: true,
      checksums: (env.TEST_S3_CHECKSUMS as 'WHEN_SUPPORTED' | 'WHEN_REQUIRED' | undefined) ?? 'WHEN_REQUIRED',
    };
  } else if (dockerEngineAvailable(env)) {
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer('minio/minio:latest')
      .withCommand(['server', '/data'])
      .withEnvironment({ MINIO_ROOT_USER: 'minioadmin', MINIO_ROOT_PASSWORD: 'minioadmin' })
      .withExposedPorts(9000)
      .withWaitStrategy(Wait.forHttp('/minio/health/live', 9000))
      .start();
    stops.push(() => container.stop());
    s3 = {
      endpoint: `http://${container.getHost()}:${container.getMappedPort(9000)}`,
      region: 'us-east-1',
      accessKeyId: 'minioadmin',
      secretAccessKey: 'minioadmin',
      forcePathStyle: true,
      checksums: 'WHEN_SUPPORTED',
    };
  } else {
    throw missing(
      'an S3-compatible server',
      'TEST_S3_ENDPOINT (e.g. http://127.0.0.1:4569)',
      'Start one with: NODE_OPTIONS=--openssl-legacy-provider node packages/launcher/dist/s3-server.js --port 4569 --dir .data/test-s3',
    );
  }
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
