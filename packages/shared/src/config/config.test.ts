import { describe, expect, it } from 'vitest';
import { CommonEnv, ConfigError, Port, PostgresEnv, parseEnv, postgresConfig, S3Env, s3Config, Type } from './index.js';

const Schema = Type.Object({ ...CommonEnv, DEMO_PORT: Port(8090), FLAG: Type.Boolean({ default: false }) });

describe('parseEnv', () => {
  it('applies defaults and coerces strings', () => {
    const env = parseEnv(Schema, { DEMO_PORT: '9000', FLAG: 'true' });
    expect(env).toMatchObject({ DEMO_PORT: 9000, FLAG: true, NATS_URL: 'nats://127.0.0.1:4222', LOG_LEVEL: 'info' });
  });

  it('treats empty values as unset', () => {
    expect(parseEnv(Schema, { DEMO_PORT: '' }).DEMO_PORT).toBe(8090);
  });

  it.each([
    [{ DEMO_PORT: 'abc' }, ['DEMO_PORT']],
    [{ DEMO_PORT: '70000' }, ['DEMO_PORT']],
    [{ LOG_LEVEL: 'loud', NATS_URL: 'localhost' }, ['LOG_LEVEL', 'NATS_URL']],
    [{ NATS_PREFIX: 'Bad.Prefix' }, ['NATS_PREFIX']],
  ])('names every bad variable of %o', (env, variables) => {
    try {
      parseEnv(Schema, env);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variables).toEqual(variables);
      for (const variable of variables) expect((error as Error).message).toContain(variable);
    }
  });

  it('never prints the value of a bad variable', () => {
    const SecretSchema = Type.Object({ SECRET_KEY: Type.String({ pattern: '^[0-9a-f]{64}$' }) });
    expect(() => parseEnv(SecretSchema, { SECRET_KEY: 'hunter2' })).toThrow(/SECRET_KEY/);
    expect(() => parseEnv(SecretSchema, { SECRET_KEY: 'hunter2' })).not.toThrow(/hunter2/);
  });

  it('sizes the Postgres pool at least as the service needs', () => {
    const PostgresSchema = Type.Object(PostgresEnv);
    const vars = parseEnv(PostgresSchema, { DATABASE_URL: 'postgres://db:5432/pharma', DATABASE_POOL_SIZE: '6' });
    expect(postgresConfig(vars)).toEqual({ url: 'postgres://db:5432/pharma', poolSize: 6 });
    expect(postgresConfig(vars, 9).poolSize).toBe(9);
    expect(postgresConfig(vars, 4).poolSize).toBe(6);
  });

  it('checks that S3 credentials come in pairs', () => {
    const S3Schema = Type.Object(S3Env);
    expect(() => s3Config(parseEnv(S3Schema, { S3_ACCESS_KEY_ID: 'key' }))).toThrow(/S3_SECRET_ACCESS_KEY/);
    expect(s3Config(parseEnv(S3Schema, {})).bucket).toBe('pharma-data');
  });
});
