import { availableParallelism } from 'node:os';
import { CommonEnv, commonConfig, type Env, Millis, Port, parseEnv, Type } from '@pharma/shared/config';
import { SERVICES } from '@pharma/shared/services';

const EnvSchema = Type.Object({
  ...CommonEnv,
  PDF_PROCESSOR_PORT: Port(SERVICES['pdf-processor'].port),
  PDF_PROCESSOR_THREADS: Type.Integer({ minimum: 1, maximum: 64, default: Math.max(1, availableParallelism() - 1) }),
  PDF_PROCESSOR_TIMEOUT_MS: Millis(30_000),
  PDF_PROCESSOR_MAX_MEMORY_MB: Type.Integer({ minimum: 32, maximum: 16_384, default: 512 }),
  PDF_PROCESSOR_MAX_PDF_BYTES: Type.Integer({ minimum: 1, default: 100 * 1024 * 1024 }),
});

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: Env) {
  const vars = parseEnv(EnvSchema, env);
  return {
    ...commonConfig(vars, vars.PDF_PROCESSOR_PORT),
    parser: {
      threads: vars.PDF_PROCESSOR_THREADS,
      timeoutMs: vars.PDF_PROCESSOR_TIMEOUT_MS,
      maxMemoryMb: vars.PDF_PROCESSOR_MAX_MEMORY_MB,
      maxPdfBytes: vars.PDF_PROCESSOR_MAX_PDF_BYTES,
    },
  };
}
