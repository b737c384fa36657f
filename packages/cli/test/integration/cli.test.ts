import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startOrchestratorRunRpc } from '@pharma/shared/contracts';
import { JobStore, serveRpc } from '@pharma/shared/messaging';
import { HISTORY_START } from '@pharma/sobrus-sim';
import { captureLogs, eventually } from '@pharma/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPS, PHARMACY, type Stack, startStack, TODAY } from './stack.js';

describe('pharma CLI against the running stack', () => {
  let stack: Stack;
  const pharma: Stack['pharma'] = (args, options) => stack.pharma(args, options);

  beforeAll(async () => {
    stack = await startStack({ seed: 'cli' });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('tells usage errors (2), wrong credentials (3), no session (3) and an unreachable gateway (4) apart', async () => {
    expect((await pharma([])).code).toBe(2);
    expect((await pharma(['frobnicate'])).code).toBe(2);
    expect((await pharma(['statements', 'refresh', '--from', '2024'])).code).toBe(2);
    expect((await pharma(['whoami'])).code).toBe(3);
    const wrong = await pharma(['login', '--email', PHARMACY.email, '--password-stdin'], { stdin: 'nope\n' });
    expect(wrong.code).toBe(3);
    const away = await pharma(['whoami'], { env: { PHARMA_URL: 'http://127.0.0.1:1' } });
    expect(away.code).toBe(4);
    expect(away.stderr).toContain('Cannot reach the gateway');
  });

  it('prints help for every command and for one, its version, and errors as one JSON document with --json', async () => {
    const help = await pharma(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['statements refresh', 'statement --client', 'jobs watch ID', 'export xlsx', 'ageing'])
      expect(help.stdout).toContain(command);
    const one = await pharma(['statements', 'refresh', '--help']);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^Usage: pharma statements refresh \[--from D\] \[--to D\]/);
    expect(one.stdout).toContain('2017-01-01 to yesterday');
    expect((await pharma(['help', 'jobs', 'cancel'])).stdout).toMatch(/^Usage: pharma jobs cancel ID/);
    const version = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')).version;
    expect((await pharma(['--version'])).stdout.trim()).toBe(`pharma ${version}`);
    expect(JSON.parse((await pharma(['--version', '--json'])).stdout)).toEqual({ version });
    const cases: [string[], Record<string, string>, number, string][] = [
      [['frobnicate', '--json'], {}, 2, 'USAGE'],
      [['whoami', '--bogus', '--json'], {}, 2, 'USAGE'],
      [['whoami', '--json'], {}, 3, ''],
      [['whoami', '--json'], { PHARMA_URL: 'http://127.0.0.1:1' }, 4, 'UNREACHABLE'],
    ];
    for (const [args, env, exitCode, code] of cases) {
      const run = await pharma(args, { env });
      expect(run.code).toBe(exitCode);
      expect(run.stderr).toBe('');
      const error = JSON.parse(run.stdout);
      expect(error).toMatchObject({ exitCode, message: expect.any(String) });
      expect(error.code).toMatch(code ? new RegExp(`^${code}$`) : /^[A-Z_]+$/);
    }
  });

  it('logs in from stdin and keeps only the token, in a file only the user can read', async () => {
    const login = await pharma(['login', '--email', PHARMACY.email, '--password-stdin', '--json'], {
      stdin: `${PHARMACY.password}\n`,
    });
    expect(login.code).toBe(0);
    expect(JSON.parse(login.stdout)).toMatchObject({ owner: PHARMACY.email, role: 'pharmacy' });
    const file = join(stack.home, 'session.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const saved = readFileSync(file, 'utf8');
    expect(saved).not.toContain(PHARMACY.password);
    expect(JSON.parse(saved).token).toMatch(/.{20,}/);
    expect((await pharma(['whoami'])).stdout).toContain(PHARMACY.email);
  });

  it('refreshes customers following the job with a progress bar, or as JSON', async () => {
    const text = await pharma(['clients', 'refresh']);
    expect(text.code).toBe(0);
    expect(text.stderr).toMatch(/\[#+-*\] \d+\/\d+ running/);
    expect(text.stdout).toMatch(/clients\.refresh succeeded: \d+\/\d+ .*259/);
    const json = await pharma(['clients', 'refresh', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ kind: 'clients.refresh', status: 'succeeded' });
    expect(json.stdout).toContain('259');
  });

  it('refreshes one customer statement by name and exports its transactions as CSV', async () => {
    const customer = stack.sim.truth
      .customers(PHARMACY.email)
      .find((c, i, all) => i > 5 && all.filter((o) => o.name === c.name).length === 1);
    if (!customer) throw new Error('no customer with a unique name');
    const refresh = await pharma([
      'statements',
      'refresh',
      '--from',
      HISTORY_START,
      '--to',
      TODAY,
      '--client',
      customer.name,
    ]);
    expect(refresh.code).toBe(0);
    const truth = await stack.sim.truth.statement({
      account: PHARMACY.email,
      customerId: customer.clientKey,
      startDate: HISTORY_START,
      endDate: TODAY,
    });
    const out = join(stack.home, 'export.csv');
    await eventually(
      async () => {
        const exported = await pharma(['export', 'csv', '--client', customer.name, '--out', out]);
        expect(exported.code).toBe(0);
        const lines = readFileSync(out, 'utf8').trim().split(/\r?\n/);
        expect(lines).toHaveLength(truth.transactions.length + 1);
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    const stdout = await pharma(['export', 'csv', '--client', customer.clientKey, '--sep', ',']);
    expect(stdout.stdout.split(/\r?\n/)[0]).toContain(',');
    expect((await pharma(['export', 'csv', '--client', 'Nobody Atall'])).code).toBe(2);
  });

  it('needs a staff session for a registry scan (3 for a pharmacy), then runs it', async () => {
    expect((await pharma(['registry', 'scan'])).code).toBe(3);
    const login = await pharma(['login', '--email', OPS.email, '--password-stdin'], {
      stdin: OPS.password,
      configDir: stack.staffHome,
    });
    expect(login.code).toBe(0);
    const scan = await pharma(['registry', 'scan', '--json'], { configDir: stack.staffHome });
    expect(scan.code).toBe(0);
    expect(JSON.parse(scan.stdout)).toMatchObject({ kind: 'registry.scan', status: 'succeeded' });
  });

  it('imports sales CSV files, telling the kind of each file from its name', async () => {
    const urls = ['/produits.csv', '/magasins.csv', '/ventes.csv'].map((path) => stack.csvServer.url(path));
    const run = await pharma(['sales', 'import', ...urls, '--json'], { configDir: stack.staffHome });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ kind: 'sales.import', status: 'succeeded' });
    const unclear = await pharma(['sales', 'import', stack.csvServer.url('/data.csv')], { configDir: stack.staffHome });
    expect(unclear.code).toBe(2);
  });

  it('exits 1 with the per-item errors when the job fails, and can start without waiting', async () => {
    // The orchestrator's start RPC, answered here: this test is about how the CLI reports a failed job.
    const jobs = await JobStore.open(stack.nats.ctx);
    let n = 0;
    const orchestrator = serveRpc(stack.nats.ctx, startOrchestratorRunRpc, {
      logger: captureLogs().logger,
      handler: async ({ requestedBy }) => {
        const job = await jobs.create({ id: `run-${++n}`, kind: 'orchestrator.run', owner: requestedBy ?? 'system' });
        return { jobId: job.id };
      },
    });
    try {
      const started = pharma(['orchestrator', 'run'], { configDir: stack.staffHome });
      await eventually(async () => expect(await jobs.get('run-1')).toBeDefined());
      await jobs.update('run-1', () => ({
        status: 'failed',
        errors: [{ item: 'task-7', code: 'CONVERSION_FAILED', message: 'sheet missing' }],
      }));
      const run = await started;
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('task-7: CONVERSION_FAILED sheet missing');
      const noWait = await pharma(['orchestrator', 'run', '--no-wait', '--json'], { configDir: stack.staffHome });
      expect(noWait.code).toBe(0);
      expect(JSON.parse(noWait.stdout)).toMatchObject({ id: 'run-2', kind: 'orchestrator.run', status: 'queued' });
    } finally {
      orchestrator.unsubscribe();
    }
  });

  it('logs out and forgets the session', async () => {
    expect((await pharma(['logout'])).code).toBe(0);
    expect((await pharma(['whoami'])).code).toBe(3);
  });
});
