import { resolve } from 'node:path';
import { Bool, CommonEnv, commonConfig, type Env, Millis, Port, parseEnv, Type } from '@pharma/shared/config';
import { SERVICES } from '@pharma/shared/services';

const EnvSchema = Type.Object({
  ...CommonEnv,
  SALES_ETL_PORT: Port(SERVICES['sales-etl'].port),
  SALES_DATA_DIR: Type.String({ minLength: 1, default: '.data/sales-etl' }),
  SALES_ALLOW_PRIVATE_URLS: Bool(false),
  SALES_MAX_FILE_BYTES: Type.Integer({ minimum: 1, default: 1024 * 1024 * 1024 }),
  SALES_FETCH_TIMEOUT_MS: Millis(30_000),
  SALES_FETCH_RETRIES: Type.Integer({ minimum: 0, maximum: 10, default: 3 }),
  SALES_FETCH_RETRY_DELAY_MS: Millis(1_000),
  SALES_MAX_REDIRECTS: Type.Integer({ minimum: 0, maximum: 20, default: 5 }),
  SALES_REVENUE_TOLERANCE: Type.Number({ minimum: 0, maximum: 1, default: 0.01 }),
  SALES_SCHEDULES_ENABLED: Bool(true),
});

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: Env) {
  const vars = parseEnv(EnvSchema, env);
  return {
    ...commonConfig(vars, vars.SALES_ETL_PORT),
    dataDir: resolve(vars.SALES_DATA_DIR),
    fetch: {
      allowPrivate: vars.SALES_ALLOW_PRIVATE_URLS,
      maxBytes: vars.SALES_MAX_FILE_BYTES,
      timeoutMs: vars.SALES_FETCH_TIMEOUT_MS,
      retries: vars.SALES_FETCH_RETRIES,
      retryDelayMs: vars.SALES_FETCH_RETRY_DELAY_MS,
      maxRedirects: vars.SALES_MAX_REDIRECTS,
    },
    validation: { revenueTolerance: vars.SALES_REVENUE_TOLERANCE },
    schedulesEnabled: vars.SALES_SCHEDULES_ENABLED,
  };
}

export type FetchConfig = Config['fetch'];
