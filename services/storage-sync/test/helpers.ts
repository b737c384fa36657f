import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@pharma/shared/logger';
import type { TestInfra } from '@pharma/testkit';
import Database from 'better-sqlite3';
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
