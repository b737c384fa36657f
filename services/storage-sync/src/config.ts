import { hostname } from 'node:os';
import {
  Bool,
  CommonEnv,
  commonConfig,
  type Env,
  Millis,
  Port,
  parseEnv,
  requireThat,
  S3Env,
  s3Config,
  Type,
} from '@pharma/shared/config';
import { SERVICES } from '@pharma/shared/services';
import { AlertsEnv, alertsConfig } from './alerts/alerts-config.js';

const EnvSchema = Type.Object({
  ...CommonEnv,
  ...S3Env,
  ...AlertsEnv,
  STORAGE_SYNC_PORT: Port(SERVICES['storage-sync'].port),
  STORAGE_SYNC_DATA_DIR: Type.String({ minLength: 1, default: '.data/storage-sync' }),
  STORAGE_SYNC_S3_PREFIX: Type.String({
    // Segments start with a letter, digit, _ or -: no `.` or `..` segments.
    pattern: '^[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$',
    default: 'pharmacies',
  }),
  STORAGE_SYNC_CREATE_BUCKET: Bool(true),
  STORAGE_SYNC_GENERATIONS_KEPT: Type.Integer({ minimum: 1, maximum: 1000, default: 10 }),
  STORAGE_SYNC_DEBOUNCE_MS: Millis(2_000),
  STORAGE_SYNC_MAX_DELAY_MS: Millis(30_000),
  STORAGE_SYNC_RETRY_MIN_MS: Millis(1_000),
  STORAGE_SYNC_RETRY_MAX_MS: Millis(60_000),
  STORAGE_SYNC_VERIFY_UPLOAD: Type.Union([Type.Literal('etag'), Type.Literal('read-back')], { default: 'etag' }),
  STORAGE_SYNC_GZIP_LEVEL: Type.Integer({ minimum: 1, maximum: 9, default: 3 }),
  STORAGE_SYNC_LEASE_TTL_MS: Type.Integer({ minimum: 3_000, default: 30_000 }),
  STORAGE_SYNC_NOT_OWNER_DELAY_MS: Millis(3_000),
  STORAGE_SYNC_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 64, default: 4 }),
  STORAGE_SYNC_EXPORTS_TTL_MS: Millis(3_600_000),
  STORAGE_SYNC_INSTANCE_ID: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })),
});

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: Env) {
  const vars = parseEnv(EnvSchema, env);
  requireThat(
    vars.STORAGE_SYNC_RETRY_MAX_MS >= vars.STORAGE_SYNC_RETRY_MIN_MS,
    'STORAGE_SYNC_RETRY_MAX_MS',
    'must be at least STORAGE_SYNC_RETRY_MIN_MS',
  );
  requireThat(
    vars.STORAGE_SYNC_MAX_DELAY_MS >= vars.STORAGE_SYNC_DEBOUNCE_MS,
    'STORAGE_SYNC_MAX_DELAY_MS',
    'must be at least STORAGE_SYNC_DEBOUNCE_MS',
  );
  return {
    ...commonConfig(vars, vars.STORAGE_SYNC_PORT),
    instanceId: vars.STORAGE_SYNC_INSTANCE_ID ?? defaultInstanceId(),
    dataDir: vars.STORAGE_SYNC_DATA_DIR,
    concurrency: vars.STORAGE_SYNC_CONCURRENCY,
    s3: { ...s3Config(vars), prefix: vars.STORAGE_SYNC_S3_PREFIX, createBucket: vars.STORAGE_SYNC_CREATE_BUCKET },
    replication: {
      generationsKept: vars.STORAGE_SYNC_GENERATIONS_KEPT,
      debounceMs: vars.STORAGE_SYNC_DEBOUNCE_MS,
      maxDelayMs: vars.STORAGE_SYNC_MAX_DELAY_MS,
      retryMinMs: vars.STORAGE_SYNC_RETRY_MIN_MS,
      retryMaxMs: vars.STORAGE_SYNC_RETRY_MAX_MS,
      gzipLevel: vars.STORAGE_SYNC_GZIP_LEVEL,
      verifyUpload: vars.STORAGE_SYNC_VERIFY_UPLOAD,
    },
    lease: { ttlMs: vars.STORAGE_SYNC_LEASE_TTL_MS, notOwnerDelayMs: vars.STORAGE_SYNC_NOT_OWNER_DELAY_MS },
    exports: { ttlMs: vars.STORAGE_SYNC_EXPORTS_TTL_MS },
    alerts: alertsConfig(vars),
  };
}

function defaultInstanceId(): string {
  const host = hostname()
    .replace(/[^A-Za-z0-9_-]/g, '-')
    .slice(0, 40);
  return `${host}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}
