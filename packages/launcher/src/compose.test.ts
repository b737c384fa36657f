import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type PlatformInfra, SERVICE_NAMES, serviceEnv } from './service-env.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

interface ComposeService {
  build?: { args?: { MAIN?: string } };
  environment?: Record<string, string | number>;
  env_file?: string[];
}

const compose = parse(readFileSync(`${repo}docker-compose.yml`, 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const sharedEnv = Object.fromEntries(
  readFileSync(`${repo}compose.env`, 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z][A-Z0-9_]*=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);

const anyInfra: PlatformInfra = {
  natsUrl: 'nats://x',
  databaseUrl: 'postgres://x',
  s3: {
    endpoint: 'http://x',
    region: 'r',
    bucket: 'bucket',
    accessKeyId: 'a',
    secretAccessKey: 's',
    forcePathStyle: true,
    checksums: 'WHEN_SUPPORTED',
  },
  sobrus: { appUrl: 'http://x', apiUrl: 'http://y' },
  dataDir: '/data',
  host: '0.0.0.0',
  ports: Object.fromEntries(SERVICE_NAMES.map((name) => [name, 1])) as PlatformInfra['ports'],
  logLevel: 'info',
};

describe('docker-compose.yml is in step with the repository and the native launcher', () => {
  it('runs every service folder of the repository, and the launcher knows the same services', () => {
    const folders = readdirSync(`${repo}services`, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect([...SERVICE_NAMES].sort()).toEqual(folders);
    for (const name of folders) {
      expect(compose.services[name]?.build?.args?.MAIN, name).toBe(`services/${name}/dist/main.js`);
    }
  });

  it.each(SERVICE_NAMES)('gives %s every variable the launcher gives it', (name) => {
    const service = compose.services[name];
    expect(service?.env_file).toContain('compose.env');
    const composeKeys = new Set([...Object.keys(sharedEnv), ...Object.keys(service?.environment ?? {})]);
    const missing = Object.keys(serviceEnv(name, anyInfra)).filter((key) => !composeKeys.has(key));
    expect(missing).toEqual([]);
  });
});
