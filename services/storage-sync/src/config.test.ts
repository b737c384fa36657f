import { ConfigError } from '@pharma/shared/config';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('storage-sync configuration', () => {
  it('has defaults that run', () => {
    const config = loadConfig({});
    expect(config.dataDir).toBe('.data/storage-sync');
    expect(config.port).toBe(8084);
    expect(config.s3).toMatchObject({ bucket: 'pharma-data', prefix: 'pharmacies', checksums: 'WHEN_SUPPORTED' });
    expect(config.replication).toMatchObject({ generationsKept: 10, verifyUpload: 'etag', gzipLevel: 3 });
    expect(config.instanceId).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('reads the S3 settings of a local S3-compatible server', () => {
    const config = loadConfig({
      S3_ENDPOINT: 'http://127.0.0.1:4569',
      S3_FORCE_PATH_STYLE: 'true',
      S3_CHECKSUMS: 'WHEN_REQUIRED',
      S3_ACCESS_KEY_ID: 'key',
      S3_SECRET_ACCESS_KEY: 'secret',
      STORAGE_SYNC_GENERATIONS_KEPT: '3',
    });
    expect(config.s3).toMatchObject({
      endpoint: 'http://127.0.0.1:4569',
      forcePathStyle: true,
      checksums: 'WHEN_REQUIRED',
    });
    expect(config.replication.generationsKept).toBe(3);
  });

  it.each([
    [{ STORAGE_SYNC_GENERATIONS_KEPT: '0' }, 'STORAGE_SYNC_GENERATIONS_KEPT'],
    [{ STORAGE_SYNC_RETRY_MIN_MS: '5000', STORAGE_SYNC_RETRY_MAX_MS: '1000' }, 'STORAGE_SYNC_RETRY_MAX_MS'],
    [{ STORAGE_SYNC_DEBOUNCE_MS: '5000', STORAGE_SYNC_MAX_DELAY_MS: '1000' }, 'STORAGE_SYNC_MAX_DELAY_MS'],
    [{ STORAGE_SYNC_S3_PREFIX: '../x' }, 'STORAGE_SYNC_S3_PREFIX'],
    [{ STORAGE_SYNC_VERIFY_UPLOAD: 'never' }, 'STORAGE_SYNC_VERIFY_UPLOAD'],
    [{ S3_ACCESS_KEY_ID: 'only-one' }, 'S3_SECRET_ACCESS_KEY'],
  ])('names the bad variable %o', (env, variable) => {
    const load = () => loadConfig(env);
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(variable);
  });
});
