import { type Static, type TObject, type TSchema, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** Raised when the environment does not describe a runnable service. Lists every bad variable, never their values. */
export class ConfigError extends Error {
  readonly variables: string[];
  constructor(problems: { variable: string; problem: string }[]) {
    super(`Invalid configuration: ${problems.map((p) => `${p.variable} ${p.problem}`).join('; ')}`);
    this.name = 'ConfigError';
    this.variables = problems.map((p) => p.variable);
  }
}

export type Env = Record<string, string | undefined>;

/**
 * Coerces and validates environment variables against a TypeBox object whose keys are variable names.
 * Empty strings count as unset so `FOO=` falls back to the default.
 */
export function parseEnv<T extends TObject>(schema: T, env: Env): Static<T> {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const raw = env[key];
    if (raw !== undefined && raw !== '') picked[key] = raw;
  }
  const withDefaults = Value.Default(schema, picked);
  const converted = Value.Convert(schema, withDefaults);
  const problems = [...Value.Errors(schema, converted)].map((error) => {
    const variable = error.path.replace(/^\//, '').split('/')[0] || '(environment)';
    return { variable, problem: describe(error.message, env[variable] === undefined) };
  });
  if (problems.length > 0) throw new ConfigError(uniqueByVariable(problems));
  return converted as Static<T>;
}

function describe(message: string, missing: boolean): string {
  return missing ? 'is required' : `is invalid (${message.toLowerCase()})`;
}

function uniqueByVariable<T extends { variable: string }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(item.variable) && seen.add(item.variable));
}

/** Fails with the variables named when a cross-field rule does not hold. */
export function requireThat(condition: boolean, variable: string, problem: string): void {
  if (!condition) throw new ConfigError([{ variable, problem }]);
}

const LogLevel = Type.Union(
  ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
);

export const Port = (defaultPort: number) => Type.Integer({ minimum: 0, maximum: 65535, default: defaultPort });
export const Url = (options: { default?: string } = {}) =>
  Type.String({ pattern: '^[a-z][a-z0-9+.-]*://', ...options });
export const Bool = (defaultValue: boolean) => Type.Boolean({ default: defaultValue });
export const Millis = (defaultValue: number) => Type.Integer({ minimum: 1, default: defaultValue });

/** Variables every service reads. */
export const CommonEnv = {
  HOST: Type.String({ default: '127.0.0.1' }),
  LOG_LEVEL: Type.Unsafe<Static<typeof LogLevel>>({ ...LogLevel, default: 'info' }),
  NATS_URL: Url({ default: 'nats://127.0.0.1:4222' }),
  NATS_PREFIX: Type.String({ pattern: '^[a-z0-9_]*$', default: '' }),
  SHUTDOWN_TIMEOUT_MS: Millis(10_000),
};

export const PostgresEnv = {
  DATABASE_URL: Url({ default: 'postgres://postgres@127.0.0.1:5432/postgres' }),
  DATABASE_POOL_SIZE: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
};

export const S3Env = {
  S3_ENDPOINT: Type.Optional(Url()),
  S3_REGION: Type.String({ default: 'us-east-1' }),
  S3_BUCKET: Type.String({ minLength: 3, default: 'pharma-data' }),
  S3_ACCESS_KEY_ID: Type.Optional(Type.String()),
  S3_SECRET_ACCESS_KEY: Type.Optional(Type.String()),
  S3_FORCE_PATH_STYLE: Bool(false),
  /** `WHEN_REQUIRED` is needed by simple S3-compatible servers that mishandle aws-chunked uploads. */
  S3_CHECKSUMS: Type.Union([Type.Literal('WHEN_SUPPORTED'), Type.Literal('WHEN_REQUIRED')], {
    default: 'WHEN_SUPPORTED',
  }),
};

export interface CommonConfig {
  host: string;
  port: number;
  logLevel: string;
  shutdownTimeoutMs: number;
  nats: { url: string; prefix: string };
}

export function commonConfig(env: Static<TObject<typeof CommonEnv>>, port: number): CommonConfig {
  return {
    host: env.HOST,
    port,
    logLevel: env.LOG_LEVEL,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    nats: { url: env.NATS_URL, prefix: env.NATS_PREFIX },
  };
}

export interface PostgresConfig {
  url: string;
  poolSize: number;
}

/** `minPoolSize`: the connections the service's own concurrency needs, whatever DATABASE_POOL_SIZE says. */
export function postgresConfig(env: Static<TObject<typeof PostgresEnv>>, minPoolSize = 1): PostgresConfig {
  return { url: env.DATABASE_URL, poolSize: Math.max(env.DATABASE_POOL_SIZE, minPoolSize) };
}

export interface S3Config {
  endpoint: string | undefined;
  region: string;
  bucket: string;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  forcePathStyle: boolean;
  checksums: 'WHEN_SUPPORTED' | 'WHEN_REQUIRED';
}

export function s3Config(env: Static<TObject<typeof S3Env>>): S3Config {
  requireThat(
    (env.S3_ACCESS_KEY_ID === undefined) === (env.S3_SECRET_ACCESS_KEY === undefined),
    env.S3_ACCESS_KEY_ID === undefined ? 'S3_ACCESS_KEY_ID' : 'S3_SECRET_ACCESS_KEY',
    'must be set together with its pair',
  );
  return {
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION,
    bucket: env.S3_BUCKET,
    accessKeyId: env.S3_ACCESS_KEY_ID,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY,
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
    checksums: env.S3_CHECKSUMS,
  };
}

export type { Static, TSchema };
export { Type };
