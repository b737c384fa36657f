import { CommonEnv, commonConfig, type Env, Port, parseEnv, Type } from '@pharma/shared/config';
import { SERVICES } from '@pharma/shared/services';

const EnvSchema = Type.Object({
  ...CommonEnv,
  AUTH_PORT: Port(SERVICES.auth.port),
});

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: Env) {
  const vars = parseEnv(EnvSchema, env);
  return { ...commonConfig(vars, vars.AUTH_PORT) };
}
