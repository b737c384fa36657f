import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePortBelowEphemeralRange } from '@pharma/launcher/ports';
import { SERVICE_NAMES, SERVICES } from '@pharma/launcher/service-env';
import { defaultPeriod } from '@pharma/shared/period';
import { eventually, testChromiumOptions } from '@pharma/testkit';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeDocuments, readQuickStart, readStaffCommand } from './readme.js';

/**
 * The README's quick start, literally, on a fresh clone of the committed HEAD: its install command, its start
 * command, a staff account made with the README's staff command (logged in over the API and in Chromium, where the
 * registry page opens), the demo pharmacy in a real Chromium (log in, refresh the customers, refresh statements,
 * read the balances), then Ctrl-C. The commands come from README.md itself, so the README cannot drift from this test.
 *
 * Deviations from a user's terminal, each needed on a shared machine: the services listen on free ports given
 * through the `<SERVICE>_PORT` variables the README documents (8080… may be taken; NATS, PostgreSQL, S3 and
 * the simulator already move to free ports on their own), and native addons compile against the local Node
 * headers (`npm_config_nodedir`, as .ci/run does). Infrastructure variables of the caller (NATS_URL,
 * DATABASE_URL, S3_*, SOBRUS_*) are removed: the quick start is the embedded demo mode.
 */
const repo = fileURLToPath(new URL('../..', import.meta.url));
const RESULTS = join(repo, 'test-results/quickstart');
const DEMO = { email: 'demo@pharmacie-demo.ma', password: 'demo1234', customers: 259 };
const STAFF_PASSWORD = 'quickstart-staff-42';
const MINUTE = 60_000;

/** Variables that would take the platform out of demo mode, or point npm at another project. */
const CALLER_ONLY = /^(NATS_URL|NATS_PREFIX|DATABASE_URL|S3_.*|SOBRUS_.*|PLATFORM_DATA_DIR|HOST|LOG_LEVEL|INIT_CWD)$/;
const NPM_RUN_STATE = /^npm_(?!config_)/;

interface Truth {
  openingBalance: number;
  closingBalance: number;
  transactions: unknown[];
}
interface SimCustomer {
  clientKey: string;
  name: string;
}
interface BalanceRow {
  clientKey: string;
  closingBalance: number | null;
  verdict: string | null;
}

/** A French amount as the page shows it ("-1 234,56", any space kind) as a number. */
const parseShownAmount = (text: string) =>
  Number(
    text
      .replace(/[\s\u00a0\u202f]/g, '')
      .replace('\u2212', '-')
      .replace(',', '.'),
  );

/** Pids of live processes whose command line mentions the folder (services, NATS, PostgreSQL, S3, simulator). */
function processesUnder(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmdline.includes(folder)) found.push(`${entry}: ${cmdline.slice(0, 160)}`);
    } catch {
      // ended while we looked
    }
  }
  return found;
}

function run(
  argv: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  stdin?: string,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const [command = '', ...args] = argv;
    const child = spawn(command, args, { cwd, env, stdio: 'pipe' });
    // Like a terminal's input ended at once, or after what is typed.
    child.stdin.end(stdin ?? '');
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('README quick start on a fresh clone', () => {
  let quickStart: ReturnType<typeof readQuickStart>;
  const timings: Record<string, number> = {};
  let home: string;
  let clone: string;
  let env: NodeJS.ProcessEnv;
  let launcher: ChildProcess | undefined;
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;
  let output = '';
  let gatewayUrl = '';
  let simulatorUrl = '';
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let statementsJob: { id: string; correlationId: string; clientKey: string } | undefined;

  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    try {
      return await work();
    } finally {
      timings[name] = Math.round((Date.now() - started) / 1000);
    }
  };
  const waitForOutput = (pattern: RegExp, timeoutMs: number) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const deadline = Date.now() + timeoutMs;
      const check = () => {
        const match = pattern.exec(output);
        if (match) return resolve(match);
        if (launcher?.exitCode !== null && launcher?.exitCode !== undefined) {
          return reject(
            new Error(`${quickStart.start.join(' ')} exited (${launcher.exitCode}):\n${output.slice(-4000)}`),
          );
        }
        if (Date.now() > deadline)
          return reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${output.slice(-4000)}`));
        setTimeout(check, 250);
      };
      check();
    });
  const shot = (page: Page, name: string) => page.screenshot({ path: join(RESULTS, `${name}.png`), fullPage: true });

  beforeAll(() => {
    mkdirSync(RESULTS, { recursive: true });
    // A clone is readable by other users, like one in a home folder: as root, the embedded PostgreSQL runs as
    // the `postgres` user, who must reach the binaries and the data folder inside it.
    home = mkdtempSync(join(tmpdir(), 'quickstart-'));
    chmodSync(home, 0o755);
    clone = join(home, 'pharma-platform');
    execFileSync('git', ['clone', '--quiet', repo, clone]);
    // The clone's README: the committed one, whatever the working copy holds.
    quickStart = readQuickStart(clone);
    env = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !CALLER_ONLY.test(key) && !NPM_RUN_STATE.test(key)),
    );
    if (!env.npm_config_nodedir && existsSync('/usr/include/node/node.h')) env.npm_config_nodedir = '/usr';
  });

  afterAll(async () => {
    await browser?.close();
    writeFileSync(join(RESULTS, 'launcher.log'), output);
    if (launcher?.pid && launcher.exitCode === null && launcher.signalCode === null) {
      process.kill(-launcher.pid, 'SIGKILL');
      await exited;
    }
    // Whatever a failed test left running from the clone (the services run in process groups of their own).
    for (const line of processesUnder(home)) {
      try {
        process.kill(Number(line.split(':')[0]), 'SIGKILL');
      } catch {
        // ended meanwhile
      }
    }
    rmSync(home, { recursive: true, force: true });
    process.stderr.write(`quick start timings (s): ${JSON.stringify(timings)}\n`);
  });

  it('reads "<install> && <start>" and "<test>" from the README', () => {
    expect(quickStart).toEqual({ install: ['npm', 'ci'], start: ['npm', 'start'], test: ['npm', 'test'] });
  });

  it('installs from the lock file', { timeout: 20 * MINUTE }, async () => {
    const { code, output: log } = await timed('install', () => run(quickStart.install, clone, env));
    expect(code, log.slice(-4000)).toBe(0);
    expect(existsSync(join(clone, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(true);
  });

  it('builds and starts every service, announcing the gateway', { timeout: 15 * MINUTE }, async () => {
    const ports: Record<string, string> = {};
    for (const name of SERVICE_NAMES) {
      const variable = SERVICES[name].env;
      expect(readmeDocuments(clone, variable), `README documents ${variable}`).toBe(true);
      ports[variable] = String(await freePortBelowEphemeralRange(Object.values(ports).map(Number)));
    }
    const [command = '', ...args] = quickStart.start;
    // Its own process group, like a terminal's foreground job: Ctrl-C reaches npm and the launcher alike.
    launcher = spawn(command, args, { cwd: clone, env: { ...env, ...ports }, detached: true });
    exited = new Promise((resolve) => launcher?.once('exit', (code, signal) => resolve({ code, signal })));
    launcher.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    launcher.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const ready = await timed('start', () =>
      waitForOutput(/^launcher\s+\| Platform ready: (http:\/\/[^\s]+) \(health: \/api\/health\)/m, 14 * MINUTE),
    );
    gatewayUrl = ready[1] ?? '';
    expect(gatewayUrl).toBe(`http://127.0.0.1:${ports.GATEWAY_PORT}`);
    simulatorUrl = /^launcher\s+\| Demo mode: Sobrus simulator at (http:\/\/[^\s]+)/m.exec(output)?.[1] ?? '';
    expect(simulatorUrl).not.toBe('');
    for (const part of ['NATS JetStream started', 'PostgreSQL started', 'S3-compatible server started']) {
      expect(output).toContain(part);
    }
    const health = (await (await fetch(`${gatewayUrl}/api/health`)).json()) as {
      status: string;
      services: { service: string; status: string }[];
    };
    expect(health.services.filter((s) => s.status === 'up').map((s) => s.service)).toEqual(SERVICE_NAMES);
    expect(health.status).toBe('up');
  });

  it("creates a staff account with the README's command, which logs in and sees the registry", {
    timeout: 5 * MINUTE,
  }, async () => {
    expect(gatewayUrl, 'the platform did not start').not.toBe('');
    const command = readStaffCommand(clone);
    const email = command[command.indexOf('--email') + 1] ?? '';
    // Another terminal in the same folder, while npm start runs: the user's environment, nothing from the launcher.
    const created = await timed('staff', () => run(command, clone, env, `${STAFF_PASSWORD}\n`));
    expect(created.code, created.output.slice(-4000)).toBe(0);
    expect(created.output).not.toContain(STAFF_PASSWORD);

    const login = await fetch(`${gatewayUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: STAFF_PASSWORD }),
    });
    expect(login.status, await login.clone().text()).toBe(200);
    const session = (await login.json()) as { token: string; principal: { kind: string; email: string } };
    expect(session.principal).toMatchObject({ kind: 'staff', email });
    const files = await fetch(`${gatewayUrl}/api/registry/files?limit=5`, {
      headers: { authorization: `Bearer ${session.token}` },
    });
    expect(files.status).toBe(200);
    expect((await files.json()) as { total: number; items: unknown[] }).toMatchObject({ items: expect.any(Array) });

    browser ??= await chromium.launch(testChromiumOptions());
    const staffContext = await browser.newContext({ baseURL: gatewayUrl, viewport: { width: 1280, height: 900 } });
    try {
      const page = await staffContext.newPage();
      await page.goto('/');
      await page.getByLabel('E-mail').fill(email);
      await page.getByLabel('Mot de passe').fill(STAFF_PASSWORD);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.waitForURL(/\/registry$/, { timeout: MINUTE });
      await page
        .getByRole('heading', { level: 1, name: 'Registre des fichiers distributeurs' })
        .waitFor({ timeout: 30_000 });
      await shot(page, '00-staff-registry');
    } finally {
      await staffContext.close();
    }
  });

  it('lets the demo pharmacy log in, refresh its customers and statements, and see the balances', {
    timeout: 15 * MINUTE,
  }, async () => {
    expect(gatewayUrl, 'the platform did not start').not.toBe('');
    const truthCustomers = (await (
      await fetch(`${simulatorUrl}/__sim/truth/customers?account=${encodeURIComponent(DEMO.email)}`)
    ).json()) as SimCustomer[];
    expect(truthCustomers).toHaveLength(DEMO.customers);

    browser ??= await chromium.launch(testChromiumOptions());
    context = await browser.newContext({ baseURL: gatewayUrl, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await timed('browser', async () => {
      await page.goto('/');
      await page.getByLabel('E-mail').fill(DEMO.email);
      await page.getByLabel('Mot de passe').fill(DEMO.password);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      // The auth service checks the password by logging in to the simulator with its own browser.
      await page.waitForURL(/\/clients$/, { timeout: 3 * MINUTE });

      await page.getByRole('button', { name: 'Actualiser la liste depuis Sobrus' }).click();
      const progress = page.getByTestId('job-progress');
      await expect.poll(() => progress.getAttribute('data-status'), { timeout: 5 * MINUTE }).toBe('succeeded');
      await expect
        .poll(() => page.getByTestId('customer-total').textContent(), { timeout: 30_000 })
        .toContain(String(DEMO.customers));
      await shot(page, '01-customers');
      const listed = (await (await context!.request.get('/api/clients?limit=1')).json()) as { total: number };
      expect(listed.total).toBe(DEMO.customers);

      // Statements of two customers: #4 (wholesale, balances over 100 000) and #2 (a single sale).
      for (const customer of [truthCustomers[3], truthCustomers[1]]) {
        if (!customer) throw new Error('the simulator has fewer than four customers');
        await page.getByRole('link', { name: 'Clients', exact: true }).click();
        await page.getByLabel('Nom, code, e-mail ou téléphone').fill(customer.clientKey);
        await page.getByRole('link', { name: customer.name }).first().click();
        await page.waitForURL(new RegExp(`/clients/${customer.clientKey}$`));
        const [request, response] = await Promise.all([
          page.waitForRequest((r) => r.url().endsWith('/api/statements/refresh') && r.method() === 'POST'),
          page.waitForResponse((r) => r.url().endsWith('/api/statements/refresh')),
          page.getByRole('button', { name: 'Télécharger à nouveau ce relevé' }).click(),
        ]);
        const period = request.postDataJSON() as { from: string; to: string; clientKeys: string[] };
        expect(period.clientKeys).toEqual([customer.clientKey]);
        // No dates chosen: the original tool's default, 2017-01-01 to yesterday (the browser's day).
        expect({ from: period.from, to: period.to }).toEqual(defaultPeriod());
        expect(response.status()).toBe(202);
        const started = (await response.json()) as { jobId: string; job: { correlationId?: string } };
        const correlationId = await response.headerValue('x-correlation-id');
        expect(correlationId).toBeTruthy();
        expect(started.job.correlationId).toBe(correlationId);
        statementsJob ??= { id: started.jobId, correlationId: correlationId ?? '', clientKey: customer.clientKey };
        await expect
          .poll(() => page.getByTestId('job-progress').getAttribute('data-status'), { timeout: 5 * MINUTE })
          .toBe('succeeded');

        const truth = (await (
          await fetch(
            `${simulatorUrl}/__sim/truth/statement?account=${encodeURIComponent(DEMO.email)}&customer_id=${customer.clientKey}&start_date=${period.from}&end_date=${period.to}`,
          )
        ).json()) as Truth;
        expect(truth.transactions.length).toBeGreaterThan(0);
        await expect
          .poll(
            // No reload: the page shows the statement once it is stored.
            () =>
              page
                .getByTestId('closing-balance')
                .getAttribute('data-value', { timeout: 1_000 })
                .catch(() => null),
            { timeout: 2 * MINUTE, interval: 1_000 },
          )
          .toBe(String(truth.closingBalance));
        await shot(page, `02-statement-${customer.clientKey}`);

        await page.getByRole('link', { name: 'Soldes' }).click();
        const cell = page.locator(`td[data-client="${customer.clientKey}"]`);
        await expect
          .poll(() => cell.getAttribute('data-closing'), { timeout: 30_000 })
          .toBe(String(truth.closingBalance));
        expect(parseShownAmount((await cell.textContent()) ?? '')).toBe(truth.closingBalance);
        const balances = (await (await context!.request.get('/api/balances?limit=500')).json()) as {
          items: BalanceRow[];
        };
        const row = balances.items.find((item) => item.clientKey === customer.clientKey);
        expect(row?.closingBalance).toBe(truth.closingBalance);
        expect(['ok', 'ok_with_anomalies']).toContain(row?.verdict);
      }
      await shot(page, '03-balances');
    });
  });

  it("follows the statements job's correlation id through the services' logs", () => {
    expect(statementsJob, 'no statements job ran').toBeDefined();
    const id = statementsJob?.correlationId ?? '';
    const servicesLogging = new Set(
      output
        .split('\n')
        .filter((line) => line.includes(`"correlationId":"${id}"`))
        .map((line) => line.split('|')[0]?.trim()),
    );
    for (const service of ['gateway', 'scraper', 'pdf-processor', 'storage-sync']) {
      expect(servicesLogging, `${service} logged nothing under ${id}`).toContain(service);
    }
    // Every line the workers wrote about this job or its statement names it (the gateway also serves other
    // requests about the job, such as its progress stream, each under its own id).
    const lines = output.split('\n');
    const workerLines = lines.filter(
      (line) =>
        /^(scraper|pdf-processor|storage-sync)\s/.test(line) &&
        (line.includes(statementsJob?.id ?? '-') || line.includes(`"clientKey":"${statementsJob?.clientKey}"`)),
    );
    expect(workerLines.some((line) => line.startsWith('scraper') && line.includes('statements refreshed'))).toBe(true);
    expect(workerLines.some((line) => line.startsWith('pdf-processor') && line.includes('statement parsed'))).toBe(
      true,
    );
    expect(workerLines.some((line) => line.startsWith('storage-sync') && line.includes('statement stored'))).toBe(true);
    expect(workerLines.filter((line) => !line.includes(`"correlationId":"${id}"`))).toEqual([]);
  });

  it('stops every process on Ctrl-C', { timeout: 3 * MINUTE }, async () => {
    expect(launcher?.pid, 'the platform did not start').toBeDefined();
    await browser?.close();
    browser = undefined;
    process.kill(-(launcher?.pid ?? 0), 'SIGINT');
    const end = await timed('stop', async () => {
      const ended = await exited;
      // npm has ended; the launcher and what it started must all be gone too.
      await eventually(() => expect(processesUnder(home)).toEqual([]), { timeoutMs: 60_000, intervalMs: 250 });
      return ended;
    });
    expect(output).toMatch(/^launcher\s+\| stopped$/m);
    expect(output).not.toMatch(/exited \(|npm error/);
    // npm ends the way a Ctrl-C'd command does in a terminal: killed by the same SIGINT (or exit code 0).
    expect(end?.signal === 'SIGINT' || end?.code === 0, JSON.stringify(end)).toBe(true);
    // PostgreSQL shut down cleanly: no pid file left behind.
    expect(existsSync(join(clone, '.data/postgres/postmaster.pid'))).toBe(false);
  });
});
