import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { captureLogs, type TestDatabase, type TestNats } from '@pharma/testkit';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

export const HOUR_AGO = () => new Date(Date.now() - 3_600_000);

export async function createTempRoot(): Promise<{ root: string; remove(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'registry-test-'));
  return { root, remove: () => rm(root, { recursive: true, force: true }) };
}

/** Writes a file (folders included) and, unless told otherwise, dates it an hour back so it counts as stable. */
export async function putFile(root: string, relativePath: string, { content = 'a;b\n1;2\n', mtime = HOUR_AGO() } = {}) {
  const path = join(root, relativePath);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
  if (mtime) await utimes(path, mtime, mtime);
  return path;
}

export function registryEnv(db: TestDatabase, nats: TestNats, root: string, extra: Record<string, string> = {}) {
  return {
    DATABASE_URL: db.url,
    DATABASE_POOL_SIZE: '4',
    NATS_URL: nats.url,
    NATS_PREFIX: nats.prefix,
    REGISTRY_ROOT: root,
    REGISTRY_SCHEDULE_ENABLED: 'false',
    REGISTRY_STABLE_AFTER_MS: '400',
    LOG_LEVEL: 'debug',
    ...extra,
  };
}

export async function startRegistry(env: Record<string, string>): Promise<FastifyInstance> {
  return buildApp(loadConfig(env), captureLogs('file-registry').logger);
}
