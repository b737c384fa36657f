import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { createLogger, type Logger } from '@pharma/shared/logger';
import { connectNats, type NatsContext } from '@pharma/shared/messaging';
import pg from 'pg';
import { inject } from 'vitest';
import type { TestInfra } from './infra.js';

export { chromiumBrowsersOf, testChromiumOptions, testChromiumPath } from './chromium.js';
export { collectEvents, consumerSettled, type EventCollector, finishedJob } from './events.js';
export type { TestInfra };

export function testInfra(): TestInfra {
  return inject('infra');
}

/** A short random name, safe for databases, NATS prefixes and buckets. */
export function uniqueName(prefix = 't'): string {
  return `${prefix}${randomBytes(5).toString('hex')}`;
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Runs one statement on a connection of its own to the server's admin database. */
async function adminStatement(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database for one test file; dropped (with its connections) afterwards. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = testInfra().databaseUrl;
  const name = uniqueName('test_');
  await adminStatement(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => adminStatement(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

export interface TestNats {
  ctx: NatsContext;
  prefix: string;
  url: string;
  /** Deletes the streams and buckets made under this prefix, then closes the connection. */
  cleanup(): Promise<void>;
}

/** A NATS connection whose subjects, streams and buckets live under a prefix of their own. */
export async function createTestNats(): Promise<TestNats> {
  const url = testInfra().natsUrl;
  const prefix = uniqueName('t');
  const ctx = await connectNats({ url, name: `test-${prefix}`, prefix });
  return {
    ctx,
    prefix,
    url,
    async cleanup() {
      for await (const name of ctx.jsm.streams.names()) {
        if (name.startsWith(`${prefix}_`) || name.startsWith(`KV_${prefix}_`) || name.startsWith(`OBJ_${prefix}_`)) {
          await ctx.jsm.streams.delete(name).catch(() => {});
        }
      }
      await ctx.nc.close();
    },
  };
}

export interface TestBucket {
  bucket: string;
  client: S3Client;
  s3: TestInfra['s3'];
}

export function createS3Client(s3: TestInfra['s3'] = testInfra().s3): S3Client {
  return new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: s3.forcePathStyle,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    requestChecksumCalculation: s3.checksums,
    responseChecksumValidation: s3.checksums,
  });
}

export async function createTestBucket(): Promise<TestBucket> {
  const s3 = testInfra().s3;
  const client = createS3Client(s3);
  const bucket = uniqueName('test-');
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return { bucket, client, s3 };
}

export interface CapturedLogs {
  logger: Logger;
  lines(): Record<string, unknown>[];
  text(): string;
}

/** A real pino logger writing JSON lines to memory, so tests can assert what was (and was not) logged. */
export function captureLogs(service = 'test'): CapturedLogs {
  const chunks: string[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  const logger = createLogger({ service, level: 'debug', pretty: false, destination: stream });
  const text = () => chunks.join('');
  return {
    logger,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** Polls until the check passes or the timeout expires, then fails with the last error. */
export async function eventually<T>(check: () => Promise<T> | T, { timeoutMs = 10_000, intervalMs = 50 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      return await check();
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw lastError instanceof Error ? lastError : new Error(`condition not met within ${timeoutMs} ms`);
}

export interface LocalS3Server {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts a real S3-compatible HTTP server (s3rver) on a folder, for tests that must stop and restart S3.
 * Restarting on the same port and folder keeps the data.
 */
export async function startS3Server(directory: string, port = 0): Promise<LocalS3Server> {
  const { default: S3rver } = await import('s3rver');
  const server = new S3rver({ port, address: '127.0.0.1', directory, silent: true });
  const { port: actual } = await server.run();
  return { endpoint: `http://127.0.0.1:${actual}`, port: actual, stop: () => server.close() };
}
