import { CommonEnv, commonConfig, type Env, Port, parseEnv, Type } from '@pharma/shared/config';
import { SERVICES } from '@pharma/shared/services';

const EnvSchema = Type.Object({
  ...CommonEnv,
  FILE_REGISTRY_PORT: Port(SERVICES['file-registry'].port),
});

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: Env) {
  const vars = parseEnv(EnvSchema, env);
  return { ...commonConfig(vars, vars.FILE_REGISTRY_PORT) };
}
