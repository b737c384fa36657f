import { CommonEnv, commonConfig, type Env, Port, parseEnv, Type } from '@pharma/shared/config';
import { SERVICES } from '@pharma/shared/services';

const EnvSchema = Type.Object({
  ...CommonEnv,
  ORCHESTRATOR_PORT: Port(SERVICES.orchestrator.port),
});

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: Env) {
  const vars = parseEnv(EnvSchema, env);
  return { ...commonConfig(vars, vars.ORCHESTRATOR_PORT) };
}
