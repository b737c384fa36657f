import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePortBelowEphemeralRange } from '@pharma/launcher/ports';
import { SERVICE_NAMES, SERVICES } from '@pharma/launcher/service-env';
import { createTestDatabase, eventually, type TestDatabase, testInfra, uniqueName } from '@pharma/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../../..', import.meta.url));

interface Health {
  status: string;
  services: { service: string; status: string; version?: string }[];
}

/** The pid of the process running `services/<name>/dist/main.js` with the given port variable. */
function findServicePid(service: string, portVariable: string, port: number): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!cmdline.includes(`services/${service}/dist/main.js`)) continue;
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (environ.includes(`${portVariable}=${port}`)) return Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  throw new Error(`no running ${service} on port ${port}`);
}

describe('npm start: the whole platform natively', () => {
  let launcher: ChildProcess;
  let output = '';
  let db: TestDatabase;
  let dataDir: string;
  const ports: Record<string, number> = {};
  let gateway: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'platform-'));
    const infra = testInfra();
    for (const name of SERVICE_NAMES)
      ports[SERVICES[name].env] = await freePortBelowEphemeralRange(Object.values(ports));
    gateway = `http://127.0.0.1:${ports.GATEWAY_PORT}`;
    const env = {
      ...process.env,
      ...Object.fromEntries(Object.entries(ports).map(([key, port]) => [key, String(port)])),
      NATS_URL: infra.natsUrl,
      NATS_PREFIX: uniqueName('p'),
      DATABASE_URL: db.url,
      S3_ENDPOINT: infra.s3.endpoint,
      S3_ACCESS_KEY_ID: infra.s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: infra.s3.secretAccessKey,
      PLATFORM_DATA_DIR: dataDir,
    };
    launcher = spawn(process.execPath, [join(repo, 'packages/launcher/dist/main.js')], { env, cwd: repo });
    launcher.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    launcher.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
  });

  afterAll(async () => {
    if (launcher.exitCode === null) {
      const exited = new Promise((resolve) => launcher.once('exit', resolve));
      launcher.kill('SIGINT');
      await exited;
    }
    await db.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('brings all eight services up, each answering the gateway over NATS', async () => {
    const health = await eventually(
      async () => {
        const response = await fetch(`${gateway}/api/health`);
        const body = (await response.json()) as Health;
        expect(body.services.filter((s) => s.status === 'up').map((s) => s.service)).toEqual(SERVICE_NAMES);
        return body;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\nlauncher output:\n${output}`);
    });
    expect(health.status).toBe('up');
    expect(health.services.every((s) => s.version === '0.1.0')).toBe(true);
  });

  it('reports a killed service as down within 5 s while the others stay up', async () => {
    const pid = findServicePid('scraper', 'SCRAPER_PORT', ports.SCRAPER_PORT ?? 0);
    process.kill(pid, 'SIGKILL');
    // One answer with the scraper down and every other service up (a probe has 1 s: on a busy machine one
    // answer may miss a service that is up, so the check is the state reached within 5 s, not the first answer).
    const health = await eventually(
      async () => {
        const body = (await (await fetch(`${gateway}/api/health`)).json()) as Health;
        expect(body.services.find((s) => s.service === 'scraper')?.status).toBe('down');
        expect(body.services.filter((s) => s.status === 'up').map((s) => s.service)).toEqual(
          SERVICE_NAMES.filter((name) => name !== 'scraper'),
        );
        return body;
      },
      { timeoutMs: 5_000, intervalMs: 100 },
    );
    expect(health.status).toBe('degraded');
    // The launcher's own line travels through its stdout pipe: it may arrive just after the health answer.
    await eventually(() => expect(output).toMatch(/scraper exited \(SIGKILL\); the others keep running/), {
      timeoutMs: 5_000,
      intervalMs: 100,
    });
  });

  it('stops every process cleanly on Ctrl-C', async () => {
    expect(launcher.exitCode).toBeNull();
    const exited = new Promise<number | null>((resolve) => launcher.once('exit', resolve));
    launcher.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toMatch(/launcher\s+\| stopped/);
    for (const name of SERVICE_NAMES.filter((n) => n !== 'scraper')) {
      expect(() => findServicePid(name, SERVICES[name].env, ports[SERVICES[name].env] ?? 0)).toThrow(/no running/);
    }
  });
});

describe('npm start with a service port already taken', () => {
  it('stops at once with one line naming the port and its variable, instead of announcing a platform', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    const infra = testInfra();
    const dataDir = await mkdtemp(join(tmpdir(), 'platform-taken-'));
    try {
      const child = spawn(process.execPath, [join(repo, 'packages/launcher/dist/main.js')], {
        cwd: repo,
        env: {
          ...process.env,
          GATEWAY_PORT: String(port),
          NATS_URL: infra.natsUrl,
          NATS_PREFIX: uniqueName('p'),
          DATABASE_URL: infra.databaseUrl,
          S3_ENDPOINT: infra.s3.endpoint,
          SOBRUS_APP_URL: 'http://127.0.0.1:9',
          PLATFORM_DATA_DIR: dataDir,
        },
      });
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(1);
      expect(output).toContain(`port ${port} of gateway is already in use`);
      expect(output).toContain('GATEWAY_PORT');
      expect(output).not.toContain('Platform ready');
    } finally {
      taken.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('configuration errors', () => {
  it.each(SERVICE_NAMES)('%s exits non-zero with one line naming the bad variable', async (name) => {
    const variable = SERVICES[name].env;
    const child = spawn(process.execPath, [join(repo, `services/${name}/dist/main.js`)], {
      env: { ...process.env, [variable]: 'not-a-port' },
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).not.toBe(0);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(variable);
  });
});
