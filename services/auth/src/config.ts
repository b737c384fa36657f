import {
  CommonEnv,
  commonConfig,
  type Env,
  Millis,
  Port,
  PostgresEnv,
  parseEnv,
  postgresConfig,
  requireThat,
  Type,
  Url,
} from '@pharma/shared/config';
import { SERVICES } from '@pharma/shared/services';
import { parseEncryptionKey } from './crypto/encryption-key.js';

const EnvSchema = Type.Object({
  ...CommonEnv,
  ...PostgresEnv,
  AUTH_PORT: Port(SERVICES.auth.port),
  AUTH_DATA_DIR: Type.String({ minLength: 1, default: '.data/auth' }),
  AUTH_ENCRYPTION_KEY: Type.Optional(Type.String()),
  AUTH_SESSION_TTL_MS: Millis(12 * 3_600_000),
  AUTH_LOGIN_MAX_FAILURES_PER_ACCOUNT: Type.Integer({ minimum: 1, default: 5 }),
  AUTH_LOGIN_MAX_FAILURES_PER_IP: Type.Integer({ minimum: 1, default: 20 }),
  AUTH_LOGIN_FAILURE_WINDOW_MS: Millis(15 * 60_000),
  SOBRUS_APP_URL: Url({ default: 'https://app.pharma.sobrus.com' }),
  SOBRUS_SESSION_MAX_AGE_MS: Millis(3_600_000),
  SOBRUS_LOGIN_TIMEOUT_MS: Millis(30_000),
  CHROMIUM_PATH: Type.String({ minLength: 1, default: '/usr/bin/chromium' }),
  AUTH_BROWSER_LOGIN_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 64, default: 4 }),
  // Below the callers' RPC timeouts (gateway login 60 s, scraper 90 s) minus one login, so a queued caller
  // hears "busy" instead of timing out.
  AUTH_BROWSER_LOGIN_MAX_WAIT_MS: Type.Integer({ minimum: 1, maximum: 600_000, default: 40_000 }),
});

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: Env) {
  const vars = parseEnv(EnvSchema, env);
  const key = vars.AUTH_ENCRYPTION_KEY === undefined ? undefined : parseEncryptionKey(vars.AUTH_ENCRYPTION_KEY);
  requireThat(
    vars.AUTH_ENCRYPTION_KEY === undefined || key !== undefined,
    'AUTH_ENCRYPTION_KEY',
    'must be 32 bytes written as 64 hex characters or base64',
  );
  return {
    ...commonConfig(vars, vars.AUTH_PORT),
    postgres: postgresConfig(vars),
    dataDir: vars.AUTH_DATA_DIR,
    /** Undefined: a development key is generated in the data folder. */
    encryptionKey: key,
    sessionTtlMs: vars.AUTH_SESSION_TTL_MS,
    rateLimits: {
      perAccount: vars.AUTH_LOGIN_MAX_FAILURES_PER_ACCOUNT,
      perIp: vars.AUTH_LOGIN_MAX_FAILURES_PER_IP,
      windowMs: vars.AUTH_LOGIN_FAILURE_WINDOW_MS,
    },
    sobrus: {
      appUrl: vars.SOBRUS_APP_URL,
      sessionMaxAgeMs: vars.SOBRUS_SESSION_MAX_AGE_MS,
      loginTimeoutMs: vars.SOBRUS_LOGIN_TIMEOUT_MS,
    },
    chromiumPath: vars.CHROMIUM_PATH,
    browserLogins: {
      concurrency: vars.AUTH_BROWSER_LOGIN_CONCURRENCY,
      maxWaitMs: vars.AUTH_BROWSER_LOGIN_MAX_WAIT_MS,
    },
  };
}
