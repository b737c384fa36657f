import { CommonEnv, commonConfig, type Env, Port, PostgresEnv, parseEnv, Type } from '@pharma/shared/config';
import { SERVICES } from '@pharma/shared/services';

const EnvSchema = Type.Object({
  ...CommonEnv,
  ...PostgresEnv,
  FILE_REGISTRY_PORT: Port(SERVICES['file-registry'].port),
});

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: Env) {
  const vars = parseEnv(EnvSchema, env);
  return {
    ...commonConfig(vars, vars.FILE_REGISTRY_PORT),
    postgres: { url: vars.DATABASE_URL, poolSize: vars.DATABASE_POOL_SIZE },
  };
}
