import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storageStatusRpc } from '@pharma/shared/contracts';
import type { Logger } from '@pharma/shared/logger';
import { type EventPayload, publishEvent, requestRpc } from '@pharma/shared/messaging';
import {
  type CapturedLogs,
  captureLogs,
  createTestBucket,
  createTestNats,
  eventually,
  type TestBucket,
  type TestInfra,
  type TestNats,
} from '@pharma/testkit';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

export function tempDir(prefix = 'storage-sync-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface StartOptions {
  natsUrl: string;
  prefix: string;
  s3: TestInfra['s3'];
  bucket: string;
  dataDir: string;
  logger: Logger;
  instanceId?: string;
  env?: Record<string, string>;
}

/** The service as it runs, with short delays so tests do not wait on debounce and backoff. */
export async function startStorageSync(options: StartOptions) {
  const config = loadConfig({
    NATS_URL: options.natsUrl,
    NATS_PREFIX: options.prefix,
    S3_ENDPOINT: options.s3.endpoint,
    S3_REGION: options.s3.region,
    S3_BUCKET: options.bucket,
    S3_ACCESS_KEY_ID: options.s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: options.s3.secretAccessKey,
    S3_FORCE_PATH_STYLE: String(options.s3.forcePathStyle),
    S3_CHECKSUMS: options.s3.checksums,
    STORAGE_SYNC_DATA_DIR: options.dataDir,
    STORAGE_SYNC_PORT: '0',
    STORAGE_SYNC_DEBOUNCE_MS: '100',
    STORAGE_SYNC_MAX_DELAY_MS: '1000',
    STORAGE_SYNC_RETRY_MIN_MS: '200',
    STORAGE_SYNC_RETRY_MAX_MS: '1000',
    STORAGE_SYNC_CONCURRENCY: '1',
    STORAGE_SYNC_NOT_OWNER_DELAY_MS: '200',
    STORAGE_SYNC_LEASE_TTL_MS: '5000',
    STORAGE_SYNC_INSTANCE_ID: options.instanceId ?? `i${Math.random().toString(36).slice(2, 10)}`,
    ...options.env,
  });
  const app = await buildApp(config, options.logger);
  await app.ready();
  return app;
}

const LOGICAL_TABLES = [
  'client_keys',
  'simple_transactions',
  'detailed_transactions',
  'solde_final',
  'customers',
  'statements',
  'transactions',
  'product_lines',
  'anomalies',
];

/** Every row of the data tables, in a stable order: what "the same logical database" compares. */
export function dumpDatabase(file: string): Record<string, unknown[]> {
  const db = new Database(file, { fileMustExist: true });
  try {
    return Object.fromEntries(
      LOGICAL_TABLES.map((table) => {
        const rows = db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[];
        return [table, rows.map((row) => JSON.stringify(row)).sort()];
      }),
    );
  } finally {
    db.close();
  }
}

/** A published event, as the storage consumes it. */
export type StorageEvent = {
  [S in 'sobrus.clients.extracted' | 'sobrus.statement.parsed']: { subject: S; payload: EventPayload<S> };
}['sobrus.clients.extracted' | 'sobrus.statement.parsed'];

export interface Testbed {
  /** Its own NATS prefix (streams, consumers, buckets). */
  readonly nats: TestNats;
  /** Its own S3 bucket; absent with `bucket: false`. */
  readonly bucket: TestBucket;
  readonly logs: CapturedLogs;
  /** A data folder, removed afterwards. */
  dir(prefix?: string): string;
  /** The service on this testbed's NATS and bucket; closed afterwards unless the test closed it. */
  start(
    dataDir: string,
    options?: Partial<Pick<StartOptions, 'instanceId' | 'env' | 's3' | 'bucket'>>,
  ): Promise<FastifyInstance>;
  /** Publishes events in order, each with a message id of its own. */
  publish(...events: StorageEvent[]): Promise<void>;
  /** Waits until the pharmacy's changes are all in S3, and returns its replication status. */
  synced(pharmacyId: string, timeoutMs?: number): ReturnType<typeof requestStatus>;
}

const requestStatus = (nats: TestNats, pharmacyId: string) => requestRpc(nats.ctx, storageStatusRpc, { pharmacyId });

/**
 * What a storage-sync integration test stands on: NATS under a prefix of its own, a bucket, captured logs and data
 * folders, with the services it starts, all cleaned up afterwards. Once for the file, or afresh for each test
 * (`perTest`) so that no test depends on what another one left.
 */
export function storageSyncTestbed(
  options: { perTest?: boolean; bucket?: boolean; env?: Record<string, string> } = {},
) {
  const setUp = options.perTest ? beforeEach : beforeAll;
  const tearDown = options.perTest ? afterEach : afterAll;
  let nats: TestNats | undefined;
  let bucket: TestBucket | undefined;
  let logs = captureLogs('storage-sync');
  const dirs: string[] = [];
  const apps = new Set<FastifyInstance>();
  let msg = 0;

  setUp(async () => {
    nats = await createTestNats();
    if (options.bucket !== false) bucket = await createTestBucket();
    if (options.perTest) logs = captureLogs('storage-sync');
  });
  tearDown(async () => {
    for (const app of apps) await app.close();
    apps.clear();
    await nats?.cleanup();
    bucket?.client.destroy();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  const testbed: Testbed = {
    get nats() {
      if (!nats) throw new Error('the testbed is set up before the tests only');
      return nats;
    },
    get bucket() {
      if (!bucket) throw new Error('this testbed has no bucket');
      return bucket;
    },
    get logs() {
      return logs;
    },
    dir(prefix) {
      const dir = tempDir(prefix);
      dirs.push(dir);
      return dir;
    },
    async start(dataDir, startOptions = {}) {
      const app = await startStorageSync({
        natsUrl: testbed.nats.url,
        prefix: testbed.nats.prefix,
        s3: startOptions.s3 ?? testbed.bucket.s3,
        bucket: startOptions.bucket ?? testbed.bucket.bucket,
        dataDir,
        logger: logs.logger,
        instanceId: startOptions.instanceId,
        env: { ...options.env, ...startOptions.env },
      });
      // Closed again afterwards, which does nothing if the test closed it.
      apps.add(app);
      return app;
    },
    async publish(...events) {
      for (const event of events) {
        await publishEvent(testbed.nats.ctx, event.subject, event.payload as never, { msgId: `m${++msg}` });
      }
    },
    synced: (pharmacyId, timeoutMs = 15_000) =>
      eventually(
        async () => {
          const status = await requestStatus(testbed.nats, pharmacyId);
          // A pharmacy whose first event is not stored yet is 'synced' too, with nothing uploaded.
          expect(status).toMatchObject({ state: 'synced', behind: false });
          expect(status.generation).toBeGreaterThan(0);
          return status;
        },
        { timeoutMs },
      ),
  };
  return testbed;
}

export const parsed = (payload: EventPayload<'sobrus.statement.parsed'>): StorageEvent => ({
  subject: 'sobrus.statement.parsed',
  payload,
});
export const extracted = (payload: EventPayload<'sobrus.clients.extracted'>): StorageEvent => ({
  subject: 'sobrus.clients.extracted',
  payload,
});
