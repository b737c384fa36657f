import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '@pharma/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, PHARMACY, type Stack, startStack } from './stack.js';

// The intake team's and analysts' commands over the real file-registry, orchestrator and sales-etl.
describe('pharma CLI: staff read and act on the registry, the orchestrator and sales', () => {
  let stack: Stack;
  const staff = (args: string[]) => stack.pharma(args, { configDir: stack.staffHome });
  const json = async (args: string[]) => {
    const run = await staff([...args, '--json']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    return JSON.parse(run.stdout);
  };

  beforeAll(async () => {
    stack = await startStack({ seed: 'cli-staff', orchestrator: true });
    await stack.loginBoth();
    expect((await staff(['registry', 'scan'])).code).toBe(0);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('lists the registered files, their counts and a month’s completeness', async () => {
    const files = await json(['registry', 'files']);
    expect(files.total).toBe(1);
    expect(files.items[0]).toMatchObject({ filePath: 'Сети/2025/05/Аптека А/Продажи/may.csv' });
    const provider = files.items[0].dataProvider;
    expect(provider).toEqual(expect.any(String));
    const text = await staff(['registry', 'files', '--provider', provider, '--from', '2025-05', '--to', '2025-05']);
    expect(text.stdout).toMatch(/^ID\s+STATUS\s+PATH\s+ERROR$/m);
    expect(text.stdout).toContain('1 of 1 file(s)');
    expect(await json(['registry', 'summary'])).toMatchObject({ total: 1 });
    const completeness = await json(['registry', 'completeness', '--month', '2025-05']);
    expect(completeness).toMatchObject({ month: '2025-05' });
    const report = { dataProvider: provider, clientName: 'Аптека А', reportType: 'Продажи', month: '2025-05' };
    const body = join(stack.home, 'expected.json');
    writeFileSync(body, JSON.stringify({ add: [report] }));
    expect(await json(['registry', 'expected', 'edit', '--body', body])).toEqual({ added: 1, removed: 0 });
    expect((await json(['registry', 'expected', '--month', '2025-05'])).items).toEqual([report]);
    expect(await json(['registry', 'completeness', '--month', '2025-05'])).toMatchObject({ expected: 1, missing: [] });
    expect((await staff(['registry', 'expected', 'edit', '--body', join(stack.home, 'absent.json')])).code).toBe(2);
    expect((await staff(['registry', 'completeness'])).code).toBe(2);
    expect((await staff(['registry', 'files', '--from', 'May'])).code).toBe(2);
  });

  it('runs the orchestrator, shows the run and the file’s attempts, and retries the file', async () => {
    const run = await staff(['orchestrator', 'run', '--json']);
    const job = JSON.parse(run.stdout);
    expect(job).toMatchObject({ kind: 'orchestrator.run' });
    const runs = await json(['orchestrator', 'runs']);
    expect(runs.items.map((r: { id: string }) => r.id)).toContain(job.id);
    const shown = await json(['orchestrator', 'show', job.id]);
    expect(shown.run.id).toBe(job.id);
    const [file] = (await json(['registry', 'files'])).items;
    const attempts = await json(['registry', 'attempts', String(file.id)]);
    expect(attempts.fileId).toBe(file.id);
    expect(await json(['registry', 'retry', String(file.id)])).toMatchObject({ id: file.id });
    const bulk = await json(['registry', 'retry', String(file.id), '999999']);
    expect(bulk.results).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: 999999, outcome: 'not_found' })]),
    );
    expect((await staff(['registry', 'retry'])).code).toBe(2);
    expect((await staff(['orchestrator', 'show', 'no-such-run'])).code).toBe(2);
  });

  it('imports sales, then lists the imports, their rejected rows and the schedules', async () => {
    const urls = ['/produits.csv', '/magasins.csv', '/ventes.csv'].map((path) => stack.csvServer.url(path));
    expect((await staff(['sales', 'import', ...urls])).code).toBe(0);
    const imports = await json(['sales', 'imports']);
    expect(imports.total).toBe(1);
    const runId = imports.items[0].runId;
    const rejects = await json(['sales', 'rejects', runId]);
    expect(rejects.items).toEqual(expect.any(Array));
    const body = join(stack.home, 'schedule.json');
    writeFileSync(body, JSON.stringify({ name: 'nightly', cron: '0 3 * * *', urls: { sales: urls[2] } }));
    const schedule = await json(['sales', 'schedules', 'add', '--body', body]);
    expect(schedule).toMatchObject({ name: 'nightly', cron: '0 3 * * *', nextRunAt: expect.any(String) });
    expect((await json(['sales', 'schedules'])).items.map((s: { id: number }) => s.id)).toEqual([schedule.id]);
    expect(await json(['sales', 'schedules', 'remove', String(schedule.id)])).toEqual({ done: true });
    expect((await staff(['sales', 'schedules', 'remove', String(schedule.id)])).code).not.toBe(0);
    expect((await json(['sales', 'schedules'])).items).toEqual([]);
    expect((await staff(['sales', 'rejects'])).code).toBe(2);
  });

  it('previews the intake tree (nothing written), then creates it', async () => {
    const body = join(stack.home, 'tree.json');
    const spec = {
      years: [2031],
      months: [1, 2],
      providers: [{ folder: 'Сети', clients: ['Аптека Я'], reportTypes: ['Продажи'] }],
    };
    writeFileSync(body, JSON.stringify({ spec }));
    expect(await json(['registry', 'tree', '--body', body, '--preview'])).toMatchObject({
      dryRun: true,
      folders: 2,
      created: 2,
    });
    expect(await json(['registry', 'tree', '--body', body])).toMatchObject({ dryRun: false, created: 2 });
    expect(await json(['registry', 'tree', '--body', body, '--preview'])).toMatchObject({ created: 0, existing: 2 });
  });

  it('lets an admin upload a pharmacy database to S3 now and ask for a restore', async () => {
    expect((await stack.pharma(['clients', 'refresh'])).code).toBe(0);
    const adminHome = join(stack.home, 'admin');
    const login = await stack.pharma(['login', '--email', ADMIN.email, '--password-stdin'], {
      stdin: ADMIN.password,
      configDir: adminHome,
    });
    expect(login.code, login.stderr).toBe(0);
    const asAdmin = async (args: string[]) => {
      const run = await stack.pharma([...args, '--json'], { configDir: adminHome });
      expect(run.code, run.stdout + run.stderr).toBe(0);
      return JSON.parse(run.stdout);
    };
    await eventually(async () =>
      expect(await asAdmin(['admin', 'sync-now', PHARMACY.email])).toMatchObject({ state: 'synced', behind: false }),
    );
    expect((await asAdmin(['admin', 'restore', PHARMACY.email])).decision).toBe('keep-local');
  });

  it('keeps admin actions for admins (3 for ops) and pharmacy commands for pharmacies', async () => {
    const syncNow = await staff(['admin', 'sync-now', 'some-pharmacy', '--json']);
    expect(syncNow.code).toBe(3);
    expect(JSON.parse(syncNow.stdout)).toMatchObject({ exitCode: 3 });
    expect((await stack.pharma(['registry', 'files'])).code).toBe(3);
  });
});
