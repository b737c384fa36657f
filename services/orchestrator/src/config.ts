import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Bool,
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
} from '@pharma/shared/config';
import { isValidSchedule } from '@pharma/shared/schedules';
import { SERVICES } from '@pharma/shared/services';

const DATA_DIR_DEFAULT = '.data/orchestrator';
/** What a stop needs past the grace: killing the scripts left, recording their tasks, closing NATS and the pool. */
const STOP_MARGIN_MS = 2_000;
/** The platform's own client scripts (examples and the real Агроресурсы one) ship with the service. */
export const BUNDLED_SCRIPTS_DIR = fileURLToPath(new URL('../scripts', import.meta.url));

const EnvSchema = Type.Object({
  ...CommonEnv,
  ...PostgresEnv,
  ORCHESTRATOR_PORT: Port(SERVICES.orchestrator.port),
  ORCHESTRATOR_DATA_DIR: Type.String({ minLength: 1, default: DATA_DIR_DEFAULT }),
  REGISTRY_ROOT: Type.String({ minLength: 1, default: '.data/file-registry/intake' }),
  ORCHESTRATOR_SCRIPTS_DIR: Type.Optional(Type.String({ minLength: 1 })),
  ORCHESTRATOR_FINAL_DIR: Type.Optional(Type.String({ minLength: 1 })),
  ORCHESTRATOR_READY_DIR: Type.Optional(Type.String({ minLength: 1 })),
  ORCHESTRATOR_CONCURRENCY: Type.Integer({
    minimum: 1,
    maximum: 256,
    default: Math.max(2, availableParallelism() * 2),
  }),
  ORCHESTRATOR_TASK_TIMEOUT_MS: Millis(600_000),
  ORCHESTRATOR_STOP_GRACE_MS: Millis(5_000),
  ORCHESTRATOR_PYTHON: Type.String({ minLength: 1, default: 'python3' }),
  ORCHESTRATOR_PYTHON_WARM: Bool(true),
  ORCHESTRATOR_LOCK_SCOPE: Type.String({ minLength: 1, maxLength: 200, default: 'default' }),
  ORCHESTRATOR_SCHEDULE_ENABLED: Bool(true),
  ORCHESTRATOR_CRON: Type.String({ default: '5,20,35,50 * * * *' }),
  ORCHESTRATOR_RUN_ON_SCAN: Bool(true),
  ORCHESTRATOR_FINAL_MAX_AGE_HOURS: Type.Number({ minimum: 0, default: 72 }),
  ORCHESTRATOR_MOVE_RETRIES: Type.Integer({ minimum: 0, maximum: 20, default: 4 }),
  ORCHESTRATOR_MOVE_RETRY_DELAY_MS: Millis(200),
  ORCHESTRATOR_LOAD_BATCH_ROWS: Type.Integer({ minimum: 1, maximum: 100_000, default: 5_000 }),
  ORCHESTRATOR_TAIL_BYTES: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 4_096 }),
});

export type Config = ReturnType<typeof loadConfig>;
export type RunnerConfig = Config['runner'];

export function loadConfig(env: Env) {
  const vars = parseEnv(EnvSchema, env);
  requireThat(isValidSchedule(vars.ORCHESTRATOR_CRON), 'ORCHESTRATOR_CRON', 'is not a valid cron pattern');
  // The scripts killed at the end of the grace still have to be recorded, and the rest closed, within the budget.
  requireThat(
    vars.ORCHESTRATOR_STOP_GRACE_MS + STOP_MARGIN_MS <= vars.SHUTDOWN_TIMEOUT_MS,
    'ORCHESTRATOR_STOP_GRACE_MS',
    `must leave at least ${STOP_MARGIN_MS} ms of SHUTDOWN_TIMEOUT_MS (${vars.SHUTDOWN_TIMEOUT_MS})`,
  );
  const dataDir = resolve(vars.ORCHESTRATOR_DATA_DIR);
  return {
    ...commonConfig(vars, vars.ORCHESTRATOR_PORT),
    // A run's lanes (2 × concurrency + 1, see run.service), each with its task's transaction; for a moment, a
    // second connection for a task run; the run's lock; the API.
    postgres: postgresConfig(vars, 2 * vars.ORCHESTRATOR_CONCURRENCY + 4),
    runner: {
      intakeRoot: resolve(vars.REGISTRY_ROOT),
      scriptsDir: resolve(vars.ORCHESTRATOR_SCRIPTS_DIR ?? BUNDLED_SCRIPTS_DIR),
      finalDir: resolve(vars.ORCHESTRATOR_FINAL_DIR ?? resolve(dataDir, 'final-reports')),
      readyDir: resolve(vars.ORCHESTRATOR_READY_DIR ?? resolve(dataDir, 'ready-to-load')),
      concurrency: vars.ORCHESTRATOR_CONCURRENCY,
      taskTimeoutMs: vars.ORCHESTRATOR_TASK_TIMEOUT_MS,
      stopGraceMs: vars.ORCHESTRATOR_STOP_GRACE_MS,
      python: vars.ORCHESTRATOR_PYTHON,
      pythonWarm: vars.ORCHESTRATOR_PYTHON_WARM,
      lockScope: vars.ORCHESTRATOR_LOCK_SCOPE,
      finalMaxAgeMs: vars.ORCHESTRATOR_FINAL_MAX_AGE_HOURS * 3_600_000,
      moveRetries: vars.ORCHESTRATOR_MOVE_RETRIES,
      moveRetryDelayMs: vars.ORCHESTRATOR_MOVE_RETRY_DELAY_MS,
      loadBatchRows: vars.ORCHESTRATOR_LOAD_BATCH_ROWS,
      tailBytes: vars.ORCHESTRATOR_TAIL_BYTES,
    },
    schedule: { enabled: vars.ORCHESTRATOR_SCHEDULE_ENABLED, cron: vars.ORCHESTRATOR_CRON },
    runOnScan: vars.ORCHESTRATOR_RUN_ON_SCAN,
  };
}
