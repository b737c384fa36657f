import { CommonEnv, commonConfig, type Env, Millis, Port, parseEnv, Type } from '@pharma/shared/config';
import { SERVICES } from '@pharma/shared/services';

const EnvSchema = Type.Object({
  ...CommonEnv,
  GATEWAY_PORT: Port(SERVICES.gateway.port),
  HEALTH_TIMEOUT_MS: Millis(1_000),
});

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: Env) {
  const vars = parseEnv(EnvSchema, env);
  return { ...commonConfig(vars, vars.GATEWAY_PORT), health: { timeoutMs: vars.HEALTH_TIMEOUT_MS } };
}
