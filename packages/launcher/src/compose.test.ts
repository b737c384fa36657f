import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type PlatformInfra, SERVICE_NAMES, SERVICE_NEEDS, SERVICES, serviceEnv } from './service-env.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

interface ComposeService {
  build?: { args?: { MAIN?: string } };
  environment?: Record<string, string | number>;
  env_file?: string[];
  depends_on?: Record<string, unknown>;
  volumes?: string[];
  ports?: string[];
}

/** The infrastructure the launcher embeds, by the compose service standing in for it. */
const INFRA = ['nats', 'postgres', 'minio', 'sobrus-sim'];

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

  it('runs nothing but the services and the infrastructure the launcher starts', () => {
    expect(Object.keys(compose.services).sort()).toEqual([...SERVICE_NAMES, ...INFRA].sort());
  });

  it('shares only variables the launcher gives some service', () => {
    const given = new Set(SERVICE_NAMES.flatMap((name) => Object.keys(serviceEnv(name, anyInfra))));
    expect(Object.keys(sharedEnv).filter((key) => !given.has(key))).toEqual([]);
  });

  it.each(SERVICE_NAMES)('gives %s every variable the launcher gives it', (name) => {
    const service = compose.services[name];
    expect(service?.env_file).toContain('compose.env');
    const composeKeys = new Set([...Object.keys(sharedEnv), ...Object.keys(service?.environment ?? {})]);
    const missing = Object.keys(serviceEnv(name, anyInfra)).filter((key) => !composeKeys.has(key));
    expect(missing).toEqual([]);
  });

  it.each(SERVICE_NAMES)('gives %s no variable of its own that the launcher does not', (name) => {
    const launcherKeys = new Set(Object.keys(serviceEnv(name, anyInfra)));
    // PORT is the container health check's, not the service's.
    const extra = Object.keys(compose.services[name]?.environment ?? {}).filter(
      (key) => key !== 'PORT' && !launcherKeys.has(key),
    );
    expect(extra).toEqual([]);
  });

  it.each(SERVICE_NAMES)('listens in %s on the default port the launcher uses, and checks that one', (name) => {
    const environment = compose.services[name]?.environment ?? {};
    const { env, port } = SERVICES[name];
    expect(Number(environment[env])).toBe(port);
    expect(Number(environment.PORT)).toBe(port);
  });

  it.each(SERVICE_NAMES)('starts %s after the infrastructure the launcher gives it', (name) => {
    const needs = SERVICE_NEEDS[name];
    const after = Object.keys(compose.services[name]?.depends_on ?? {}).sort();
    const expected = ['nats', ...(needs.postgres ? ['postgres'] : []), ...(needs.s3 ? ['minio'] : [])].sort();
    expect(after).toEqual(expected);
  });

  it('keeps folders on volumes, shared between services exactly where the launcher shares them', () => {
    // launcher folder (under its data directory) -> the compose volume holding it, for every folder variable
    const volumeOfFolder = new Map<string, string>();
    const folderOfVolume = new Map<string, string>();
    for (const name of SERVICE_NAMES) {
      const service = compose.services[name];
      const mounts = new Map(
        (service?.volumes ?? []).map((mount) => {
          const [volume = '', target = ''] = mount.split(':');
          return [target, volume] as const;
        }),
      );
      for (const [variable, folder] of Object.entries(SERVICE_NEEDS[name].folders ?? {})) {
        const path = String(service?.environment?.[variable] ?? '');
        const volume = mounts.get(path);
        expect(volume, `${name} ${variable}=${path} is not on a volume`).toBeDefined();
        expect(volumeOfFolder.get(folder) ?? volume, `${folder} of ${name}`).toBe(volume);
        expect(folderOfVolume.get(volume ?? '') ?? folder, `volume ${volume} of ${name}`).toBe(folder);
        volumeOfFolder.set(folder, volume ?? '');
        folderOfVolume.set(volume ?? '', folder);
      }
    }
    expect(volumeOfFolder.get('intake')).toBeDefined();
  });
});
