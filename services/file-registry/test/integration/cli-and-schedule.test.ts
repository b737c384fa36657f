import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ensureStreams, JobStore } from '@pharma/shared/messaging';
import {
  collectEvents,
  createTestDatabase,
  createTestNats,
  eventually,
  type TestDatabase,
  type TestNats,
} from '@pharma/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempRoot, putFile, registryEnv, startRegistry } from '../helpers.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

describe('command line and schedule', () => {
  let db: TestDatabase;
  let nats: TestNats;
  let temp: Awaited<ReturnType<typeof createTempRoot>>;

  const cli = async (args: string[], env: Record<string, string> = {}) => {
    const { stdout } = await run(process.execPath, [CLI, ...args], {
      env: { ...process.env, DATABASE_URL: db.url, ...env },
    });
    return JSON.parse(stdout);
  };

  beforeAll(async () => {
    [db, nats, temp] = await Promise.all([createTestDatabase(), createTestNats(), createTempRoot()]);
    await ensureStreams(nats.ctx);
  });

  afterAll(async () => {
    await Promise.all([db?.drop(), nats?.cleanup(), temp?.remove()]);
  });

  it('generates a tree from a YAML spec (dry run first), then scans it', async () => {
    const spec = join(temp.root, 'tree.yaml');
    await writeFile(
      spec,
      'years: [2025]\nmonths: [1, 2]\nproviders:\n  - folder: Дистрибьюторы\n    clients: [Агроресурсы, Протек]\n    reportTypes: [Продажи]\n',
    );
    const root = join(temp.root, 'intake');
    const dry = await cli(['generate', '--spec', spec, '--root', root, '--dry-run']);
    expect(dry).toMatchObject({ dryRun: true, folders: 4, created: 4, expectedSeeded: 0 });
    expect(existsSync(root)).toBe(false);

    const made = await cli(['generate', '--spec', spec, '--root', root]);
    expect(made).toMatchObject({ dryRun: false, folders: 4, created: 4, expectedSeeded: 4 });
    expect(existsSync(join(root, 'Дистрибьюторы/2025/02/Протек/Продажи'))).toBe(true);

    const byArguments = await cli([
      'generate',
      '--root',
      root,
      '--providers',
      'Дистрибьюторы',
      '--years',
      '2025',
      '--months',
      '1-2',
      '--clients',
      'Агроресурсы,Протек',
      '--report-types',
      'Продажи',
    ]);
    expect(byArguments).toMatchObject({ created: 0, existing: 4, expectedSeeded: 0 });

    await putFile(root, 'Дистрибьюторы/2025/01/Агроресурсы/Продажи/agro.xlsx');
    const scanned = await cli(['scan', '--root', root]);
    expect(scanned).toMatchObject({ status: 'succeeded', totals: { seen: 1, new: 1 } });
    expect((await cli(['scan', '--root', root])).totals.new).toBe(0);
  });

  it('scans on the cron schedule, each run a job of its own', async () => {
    const root = join(temp.root, 'scheduled');
    await putFile(root, 'Сети/2025/03/Аптека/Продажи/march.csv');
    const completed = await collectEvents(nats.ctx, 'registry.scan.completed');
    const app = await startRegistry(
      registryEnv(db, nats, root, { REGISTRY_SCHEDULE_ENABLED: 'true', REGISTRY_SCAN_CRON: '* * * * * *' }),
    );
    try {
      const event = await eventually(() => {
        const done = completed.received.find((e) => e.status === 'succeeded' && e.totals.new === 1);
        if (!done) throw new Error('no scheduled scan yet');
        return done;
      });
      expect(event.jobId).toMatch(/^scan-/);
      // A scheduled scan is traced by its job id, down to the run its files start.
      expect(event.correlationId).toBe(event.jobId);
      const jobs = await JobStore.open(nats.ctx);
      await eventually(async () =>
        expect(await jobs.require(event.jobId!)).toMatchObject({
          kind: 'registry.scan',
          owner: 'system',
          status: 'succeeded',
          correlationId: event.jobId,
        }),
      );
    } finally {
      await app.close();
      await completed.stop();
    }
  });
});
