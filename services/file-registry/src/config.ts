import {
  Bool,
  CommonEnv,
  commonConfig,
  type Env,
  Port,
  PostgresEnv,
  parseEnv,
  postgresConfig,
  requireThat,
  Type,
} from '@pharma/shared/config';
import { isValidSchedule } from '@pharma/shared/schedules';
import { SERVICES } from '@pharma/shared/services';
import { DEFAULT_PROVIDER_FOLDERS, parseProviderFolders } from './domain/provider-folders.js';

const EnvSchema = Type.Object({
  ...CommonEnv,
  ...PostgresEnv,
  FILE_REGISTRY_PORT: Port(SERVICES['file-registry'].port),
  REGISTRY_ROOT: Type.String({ minLength: 1, default: '.data/file-registry/intake' }),
  REGISTRY_PROVIDER_FOLDERS: Type.String({ default: DEFAULT_PROVIDER_FOLDERS }),
  REGISTRY_EXTENSIONS: Type.String({ pattern: '^[A-Za-z0-9]+(,[A-Za-z0-9]+)*$', default: 'csv,xls,xlsx' }),
  REGISTRY_STABLE_AFTER_MS: Type.Integer({ minimum: 0, default: 2_000 }),
  REGISTRY_RECHECK_UNSTABLE: Bool(true),
  REGISTRY_MARK_DELETED: Bool(true),
  REGISTRY_SCAN_CRON: Type.String({ default: '*/15 * * * *' }),
  REGISTRY_SCHEDULE_ENABLED: Bool(true),
  REGISTRY_SCAN_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 1024, default: 64 }),
  REGISTRY_LATE_AFTER_DAY: Type.Integer({ minimum: 1, maximum: 28, default: 10 }),
  REGISTRY_PUBLISH_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 10_000, default: 256 }),
});

export type Config = ReturnType<typeof loadConfig>;
export type ScannerConfig = Config['scanner'];

export function loadConfig(env: Env) {
  const vars = parseEnv(EnvSchema, env);
  const providerFolders = parseProviderFolders(vars.REGISTRY_PROVIDER_FOLDERS);
  requireThat(
    providerFolders !== undefined,
    'REGISTRY_PROVIDER_FOLDERS',
    'must be "Folder=Provider" pairs joined by ","',
  );
  requireThat(isValidSchedule(vars.REGISTRY_SCAN_CRON), 'REGISTRY_SCAN_CRON', 'is not a valid cron pattern');
  return {
    ...commonConfig(vars, vars.FILE_REGISTRY_PORT),
    postgres: postgresConfig(vars),
    scanner: {
      root: vars.REGISTRY_ROOT,
      providerFolders: providerFolders ?? {},
      extensions: vars.REGISTRY_EXTENSIONS.split(',').map((ext) => ext.toLowerCase()),
      stableAfterMs: vars.REGISTRY_STABLE_AFTER_MS,
      recheckUnstable: vars.REGISTRY_RECHECK_UNSTABLE,
      markDeleted: vars.REGISTRY_MARK_DELETED,
      concurrency: vars.REGISTRY_SCAN_CONCURRENCY,
      publishConcurrency: vars.REGISTRY_PUBLISH_CONCURRENCY,
    },
    schedule: { enabled: vars.REGISTRY_SCHEDULE_ENABLED, cron: vars.REGISTRY_SCAN_CRON },
    expected: { lateAfterDay: vars.REGISTRY_LATE_AFTER_DAY },
  };
}
