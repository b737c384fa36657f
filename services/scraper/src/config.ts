import { CommonEnv, commonConfig, type Env, Port, parseEnv, Type } from '@pharma/shared/config';
import { SERVICES } from '@pharma/shared/services';

const EnvSchema = Type.Object({
  ...CommonEnv,
  SCRAPER_PORT: Port(SERVICES.scraper.port),
});

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: Env) {
  const vars = parseEnv(EnvSchema, env);
  return { ...commonConfig(vars, vars.SCRAPER_PORT) };
}
