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
  PDF_PROCESSOR_SWEEP_INTERVAL_MS: Type.Integer({ minimum: 1_000, maximum: 86_400_000, default: 600_000 }),
  // Longer than the scraper can take between a put and its event (it waits up to 2 minutes for NATS to answer).
  PDF_PROCESSOR_SWEEP_GRACE_MS: Type.Integer({ minimum: 180_000, maximum: 7 * 86_400_000, default: 1_800_000 }),
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
    sweep: { intervalMs: vars.PDF_PROCESSOR_SWEEP_INTERVAL_MS, graceMs: vars.PDF_PROCESSOR_SWEEP_GRACE_MS },
  };
}
