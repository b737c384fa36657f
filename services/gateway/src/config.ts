import { fileURLToPath } from 'node:url';
import { Bool, CommonEnv, commonConfig, type Env, Millis, Port, parseEnv, Type } from '@pharma/shared/config';
import { SERVICES } from '@pharma/shared/services';

const EnvSchema = Type.Object({
  ...CommonEnv,
  GATEWAY_PORT: Port(SERVICES.gateway.port),
  HEALTH_TIMEOUT_MS: Millis(1_000),
  GATEWAY_RPC_TIMEOUT_MS: Millis(10_000),
  GATEWAY_LOGIN_TIMEOUT_MS: Millis(60_000),
  GATEWAY_RATE_LIMIT_PER_MINUTE: Type.Integer({ minimum: 1, default: 600 }),
  GATEWAY_LOGIN_RATE_LIMIT_PER_MINUTE: Type.Integer({ minimum: 1, default: 10 }),
  GATEWAY_COOKIE_SECURE: Bool(false),
  GATEWAY_WEB_DIR: Type.String({ default: '' }),
  GATEWAY_SSE_KEEPALIVE_MS: Millis(15_000),
});

/** The web app's build, next to this service in the monorepo. */
const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../../packages/web/dist', import.meta.url));

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: Env) {
  const vars = parseEnv(EnvSchema, env);
  return {
    ...commonConfig(vars, vars.GATEWAY_PORT),
    health: { timeoutMs: vars.HEALTH_TIMEOUT_MS },
    rpc: { timeoutMs: vars.GATEWAY_RPC_TIMEOUT_MS },
    auth: { timeoutMs: vars.GATEWAY_RPC_TIMEOUT_MS, loginTimeoutMs: vars.GATEWAY_LOGIN_TIMEOUT_MS },
    security: {
      rateLimitPerMinute: vars.GATEWAY_RATE_LIMIT_PER_MINUTE,
      loginRateLimitPerMinute: vars.GATEWAY_LOGIN_RATE_LIMIT_PER_MINUTE,
    },
    cookie: { secure: vars.GATEWAY_COOKIE_SECURE },
    web: { dir: vars.GATEWAY_WEB_DIR || DEFAULT_WEB_DIR },
    sse: { keepAliveMs: vars.GATEWAY_SSE_KEEPALIVE_MS },
  };
}
