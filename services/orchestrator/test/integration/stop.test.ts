import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startOrchestratorRunRpc } from '@pharma/shared/contracts';
import type { pg } from '@pharma/shared/db';
import { consumeEvents, type EventPayload, JobStore, requestRpc } from '@pharma/shared/messaging';
import {
  captureLogs,
  createTestDatabase,
  createTestNats,
  eventually,
  type TestDatabase,
  type TestNats,
  uniqueName,
} from '@pharma/testkit';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import {
  createFolders,
  type Folders,
  HEADER_LINE,
  migrateAll,
  moduleWriter,
  orchestratorEnv,
  putScript,
  registerFile,
  SERVICE_DIR,
  targetRow,
} from '../helpers.js';

// A service asked to stop (deploy, Ctrl-C, `docker compose stop`) in the middle of a long run: no more tasks are
// claimed, the running ones get the stop grace, the scripts still running then are killed and their files left as
// they were; the run ends `failed` (STOPPED), its job too; a later run does the rest, no file twice.

const SHUTDOWN_BUDGET_MS = 10_000;
const ROW = targetRow({ client_name: 'A', amount_type_1: '1', period: '2025-06-01' });

/** A shell script that takes `seconds`, writes a valid output, then appends its task id to `countFile`. */
function countingScript(countFile: string, seconds: number): string {
  return `#!/bin/sh
sleep ${seconds}
src=$(basename "$TASK_FILE"); src=\${src%.*}
name="\${TASK_CLIENT}_id\${TASK_ID}_\${src}_$(date +%Y%m%d_%H%M%S).csv"
printf '%s\\n%s\\n' '${HEADER_LINE}' '${ROW}' > "$TASK_OUTPUT_DIR/.$name.part"
mv "$TASK_OUTPUT_DIR/.$name.part" "$TASK_OUTPUT_DIR/$name"
echo "$TASK_ID" >> '${countFile}'
`;
}

/** A script that records its pid and runs far past any stop grace. */
const longScript = (pidFile: string) => `#!/bin/sh\necho $$ >> '${pidFile}'\nsleep 60\n`;

async function lines(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface World {
  db: TestDatabase;
  nats: TestNats;
  folders: Folders;
  pool: pg.Pool;
  jobs: JobStore;
  env: Record<string, string>;
  completed: EventPayload<'orchestrator.run.completed'>[];
  collecting?: boolean;
  stopCollecting(): Promise<void>;
}

const worlds: World[] = [];
const apps: FastifyInstance[] = [];

async function world(extra: Record<string, string>): Promise<World> {
  const [db, nats, folders] = await Promise.all([createTestDatabase(), createTestNats(), createFolders()]);
  const pool = await migrateAll(db.url);
  const completed: EventPayload<'orchestrator.run.completed'>[] = [];
  const created: World = {
    db,
    nats,
    folders,
    pool,
    jobs: await JobStore.open(nats.ctx),
    env: orchestratorEnv(db.url, folders, { NATS_URL: nats.url, NATS_PREFIX: nats.prefix, ...extra }),
    completed,
    stopCollecting: async () => {},
  };
  worlds.push(created);
  return created;
}

/** Collects `orchestrator.run.completed` once the service made its streams. */
async function collectRunEvents(w: World): Promise<void> {
  if (w.collecting) return;
  w.collecting = true;
  const consumer = await consumeEvents(w.nats.ctx, {
    subject: 'orchestrator.run.completed',
    durable: uniqueName('collect'),
    logger: captureLogs().logger,
    handler: async (payload) => void w.completed.push(payload),
  });
  w.stopCollecting = () => consumer.stop();
}

async function startApp(w: World): Promise<FastifyInstance> {
  const app = await buildApp(loadConfig(w.env), captureLogs('orchestrator').logger);
  apps.push(app);
  await collectRunEvents(w);
  return app;
}

async function requestRun(w: World): Promise<string> {
  const { jobId } = await requestRpc(w.nats.ctx, startOrchestratorRunRpc, { requestedBy: 'ops@example.com' });
  return jobId;
}

async function waitForJob(w: World, jobId: string, status: string) {
  return eventually(
    async () => {
      const job = await w.jobs.get(jobId);
      expect(job?.status).toBe(status);
      return job;
    },
    { timeoutMs: 60_000 },
  );
}

async function statuses(pool: pg.Pool): Promise<Record<number, string>> {
  const result = await pool.query('SELECT id, status FROM ops.file_registry ORDER BY id');
  return Object.fromEntries(result.rows.map((row) => [row.id, row.status]));
}

async function runningTaskRuns(pool: pg.Pool): Promise<number> {
  const result = await pool.query(`SELECT count(*)::int AS n FROM ops.task_runs WHERE status = 'running'`);
  return result.rows[0].n;
}

/** The run recorded as stopped, its job ended, its completion event published as failed. */
async function expectStoppedRun(w: World, jobId: string) {
  const run = await w.pool.query('SELECT status, error, completed_at FROM ops.orchestrator_runs WHERE id = $1', [
    jobId,
  ]);
  expect(run.rows[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/^STOPPED: /) });
  expect(run.rows[0].completed_at).not.toBeNull();
  const job = await w.jobs.get(jobId);
  expect(job).toMatchObject({ status: 'failed', result: expect.objectContaining({ stopped: true }) });
  expect(job?.errors).toContainEqual(expect.objectContaining({ item: 'run', code: 'STOPPED' }));
  await eventually(() =>
    expect(w.completed).toContainEqual(
      expect.objectContaining({ runId: jobId, status: 'failed', error: expect.stringMatching(/^STOPPED: /) }),
    ),
  );
}

/** No advisory lock of the orchestrator is held any more. */
async function expectNoRunLock(pool: pg.Pool) {
  const locks = await pool.query(
    `SELECT count(*)::int AS n FROM pg_locks
      WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
  );
  expect(locks.rows[0].n).toBe(0);
}

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  for (const w of worlds.splice(0)) {
    await w.stopCollecting();
    await w.pool.end();
    await Promise.all([w.db.drop(), w.nats.cleanup(), w.folders.remove()]);
  }
});

describe('stopping the orchestrator in the middle of a run (real Postgres, NATS and scripts)', () => {
  it('closes within the grace: running tasks finish, no more are claimed; the next run does the rest once', async () => {
    const w = await world({ ORCHESTRATOR_STOP_GRACE_MS: '4000', ORCHESTRATOR_CONCURRENCY: '4' });
    const countFile = join(w.folders.base, 'executions.txt');
    await putScript(w.folders, 'Сеть', 'Steady', 'convert', countingScript(countFile, 0.3));
    const ids: number[] = [];
    for (let i = 0; i < 40; i++)
      ids.push(await registerFile(w.pool, w.folders, { client: 'Steady', name: `f${i}.csv` }));

    const app = await startApp(w);
    const jobId = await requestRun(w);
    await eventually(async () => expect((await lines(countFile)).length).toBeGreaterThanOrEqual(4), {
      timeoutMs: 30_000,
    });
    const started = performance.now();
    await app.close();
    const closeMs = performance.now() - started;
    process.stderr.write(`orchestrator stop: app.close() mid-run took ${Math.round(closeMs)} ms (grace 4000 ms)\n`);
    expect(closeMs).toBeLessThan(SHUTDOWN_BUDGET_MS);

    const after = await statuses(w.pool);
    const done = ids.filter((id) => after[id] === 'CREATED');
    expect(done.length).toBeGreaterThanOrEqual(4);
    expect(done.length).toBeLessThan(ids.length);
    // Every task that started finished (0.3 s is well within the grace): none killed, none left running.
    expect(ids.filter((id) => after[id] !== 'CREATED').every((id) => after[id] === 'NEW')).toBe(true);
    expect(await runningTaskRuns(w.pool)).toBe(0);
    const stopped = await w.pool.query(`SELECT count(*)::int AS n FROM ops.task_runs WHERE reason = 'STOPPED'`);
    expect(stopped.rows[0].n).toBe(0);
    expect((await lines(countFile)).sort()).toEqual(done.map(String).sort());
    const loaded = await w.pool.query('SELECT count(*)::int AS n FROM raw.primary_data');
    expect(loaded.rows[0].n).toBe(done.length);
    await expectStoppedRun(w, jobId);
    await expectNoRunLock(w.pool);

    // A new instance: the remaining files, each once; the finished ones keep their results.
    await startApp(w);
    const next = await requestRun(w);
    await waitForJob(w, next, 'succeeded');
    expect(Object.values(await statuses(w.pool)).every((status) => status === 'CREATED')).toBe(true);
    const executions = await lines(countFile);
    expect(executions.sort()).toEqual(ids.map(String).sort());
    const rows = await w.pool.query(
      'SELECT count(*)::int AS n, count(DISTINCT source_file)::int AS files FROM raw.primary_data',
    );
    expect(rows.rows[0]).toEqual({ n: ids.length, files: ids.length });
  });

  it('past the grace, kills the scripts still running and leaves their files for the next run', async () => {
    const w = await world({ ORCHESTRATOR_STOP_GRACE_MS: '1000', ORCHESTRATOR_CONCURRENCY: '4' });
    const pidFile = join(w.folders.base, 'long.pids');
    const countFile = join(w.folders.base, 'executions.txt');
    const moduleStarted = join(w.folders.base, 'module.started');
    await putScript(w.folders, 'Сеть', 'Slow', 'convert', longScript(pidFile));
    // A TypeScript module in a worker thread that never resolves: its worker is terminated.
    await putScript(
      w.folders,
      'Сеть',
      'SlowModule',
      'convert.ts',
      `import { writeFileSync } from 'node:fs';
export default async function convert() {
  writeFileSync('${moduleStarted}', 'started');
  await new Promise((resolve) => setTimeout(resolve, 60_000));
}
`,
    );
    // As many files as script slots: all four start (which files wait for a slot is up to the run's lanes).
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push(await registerFile(w.pool, w.folders, { client: 'Slow', name: `f${i}.csv` }));
    ids.push(await registerFile(w.pool, w.folders, { client: 'SlowModule', name: 'm.csv' }));

    const app = await startApp(w);
    const jobId = await requestRun(w);
    await eventually(
      async () => {
        expect((await lines(pidFile)).length).toBe(3);
        expect(existsSync(moduleStarted)).toBe(true);
      },
      { timeoutMs: 30_000 },
    );
    const started = performance.now();
    await app.close();
    const closeMs = performance.now() - started;
    process.stderr.write(
      `orchestrator stop: app.close() with 4 scripts of 60 s running (3 processes, 1 module) took ${Math.round(closeMs)} ms (grace 1000 ms)\n`,
    );
    expect(closeMs).toBeLessThan(SHUTDOWN_BUDGET_MS);

    const pids = (await lines(pidFile)).map(Number);
    await eventually(() => expect(pids.filter(alive)).toEqual([]));
    expect(Object.values(await statuses(w.pool))).toEqual(ids.map(() => 'NEW'));
    expect(await runningTaskRuns(w.pool)).toBe(0);
    const cut = await w.pool.query(`SELECT status, reason FROM ops.task_runs ORDER BY id`);
    expect(cut.rows).toEqual([1, 2, 3, 4].map(() => ({ status: 'ABANDONED', reason: 'STOPPED' })));
    await expectStoppedRun(w, jobId);
    const job = await w.jobs.get(jobId);
    expect(job?.errors.map((error) => error.code)).toEqual(['STOPPED']);
    expect(job?.result).toMatchObject({ counts: { ABANDONED: 4, STOPPED: 4 } });
    await expectNoRunLock(w.pool);

    // With a script that ends, the next run takes all four again: attempt 2 for each.
    await putScript(w.folders, 'Сеть', 'Slow', 'convert', countingScript(countFile, 0));
    await putScript(w.folders, 'Сеть', 'SlowModule', 'convert.ts', moduleWriter(HEADER_LINE, [ROW]));
    await startApp(w);
    await waitForJob(w, await requestRun(w), 'succeeded');
    expect(Object.values(await statuses(w.pool))).toEqual(ids.map(() => 'CREATED'));
    const shellIds = ids.filter((_, index) => index !== 3);
    expect((await lines(countFile)).sort()).toEqual(shellIds.map(String).sort());
    const attempts = await w.pool.query(
      `SELECT file_id, max(attempt)::int AS attempts FROM ops.task_runs GROUP BY file_id ORDER BY file_id`,
    );
    expect(attempts.rows.filter((row) => row.attempts === 2)).toHaveLength(4);
  });

  it('a file claimed but still waiting for a script slot at the stop is left as it was, with no attempt recorded', async () => {
    const w = await world({ ORCHESTRATOR_STOP_GRACE_MS: '500', ORCHESTRATOR_CONCURRENCY: '1' });
    const pidFile = join(w.folders.base, 'long.pids');
    const countFile = join(w.folders.base, 'executions.txt');
    await putScript(w.folders, 'Сеть', 'Slow', 'convert', longScript(pidFile));
    const ids = [
      await registerFile(w.pool, w.folders, { client: 'Slow', name: 'a.csv' }),
      await registerFile(w.pool, w.folders, { client: 'Slow', name: 'b.csv' }),
    ];

    const app = await startApp(w);
    const jobId = await requestRun(w);
    await eventually(async () => expect(await lines(pidFile)).toHaveLength(1), { timeoutMs: 30_000 });
    // One script slot, two lanes: the second file is claimed, its task run opened, and it waits for the slot.
    await eventually(async () => {
      const open = await w.pool.query('SELECT count(*)::int AS n FROM ops.task_runs WHERE finished_at IS NULL');
      expect(open.rows[0].n).toBe(2);
    });
    await app.close();

    expect(Object.values(await statuses(w.pool))).toEqual(['NEW', 'NEW']);
    const runs = await w.pool.query('SELECT file_id, status, reason FROM ops.task_runs');
    expect(runs.rows).toHaveLength(1);
    expect(runs.rows[0]).toMatchObject({ status: 'ABANDONED', reason: 'STOPPED' });
    expect(ids).toContain(runs.rows[0].file_id);
    const job = await w.jobs.get(jobId);
    expect(job?.result).toMatchObject({ tasks: 1, counts: { ABANDONED: 1, STOPPED: 1 } });
    await expectStoppedRun(w, jobId);

    await putScript(w.folders, 'Сеть', 'Slow', 'convert', countingScript(countFile, 0));
    await startApp(w);
    await waitForJob(w, await requestRun(w), 'succeeded');
    expect(Object.values(await statuses(w.pool))).toEqual(['CREATED', 'CREATED']);
    const attempts = await w.pool.query(
      'SELECT file_id, max(attempt)::int AS attempts FROM ops.task_runs GROUP BY file_id ORDER BY file_id',
    );
    expect(attempts.rows.map((row) => row.attempts).sort()).toEqual([1, 2]);
    expect(attempts.rows.find((row) => row.attempts === 2)?.file_id).toBe(runs.rows[0].file_id);
  });

  it('SIGTERM to the built service mid-run: exits 0 within its shutdown budget, the run ended and re-runnable', async () => {
    const main = join(SERVICE_DIR, 'dist/main.js');
    expect(existsSync(main), `${main} is missing: build first (npx tsc -b)`).toBe(true);
    const w = await world({ ORCHESTRATOR_STOP_GRACE_MS: '2000', ORCHESTRATOR_CONCURRENCY: '4' });
    const pidFile = join(w.folders.base, 'long.pids');
    const countFile = join(w.folders.base, 'executions.txt');
    await putScript(w.folders, 'Сеть', 'Slow', 'convert', longScript(pidFile));
    await putScript(w.folders, 'Сеть', 'Steady', 'convert', countingScript(countFile, 0.3));
    const slow = [];
    for (let i = 0; i < 2; i++) slow.push(await registerFile(w.pool, w.folders, { client: 'Slow', name: `s${i}.csv` }));
    const steady = [];
    for (let i = 0; i < 30; i++)
      steady.push(await registerFile(w.pool, w.folders, { client: 'Steady', name: `f${i}.csv` }));

    const child = spawn(process.execPath, [main], {
      env: { ...process.env, ...w.env, ORCHESTRATOR_PORT: '0', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<{ code: number | null; signal: string | null; at: number }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() })),
    );
    try {
      const jobId = await eventually(() => requestRun(w), { timeoutMs: 30_000 });
      await collectRunEvents(w);
      await eventually(
        async () => {
          expect((await lines(pidFile)).length).toBe(2);
          expect((await lines(countFile)).length).toBeGreaterThanOrEqual(3);
        },
        { timeoutMs: 30_000 },
      );
      const sent = performance.now();
      child.kill('SIGTERM');
      const { code, signal, at } = await exited;
      const exitMs = at - sent;
      process.stderr.write(`orchestrator stop: SIGTERM to exit took ${Math.round(exitMs)} ms (grace 2000 ms)\n`);
      expect({ code, signal }, stderr.slice(-4_000)).toEqual({ code: 0, signal: null });
      // Exit code 0 already says the 10 s hard timeout did not fire (it exits 1); this says it plainly.
      expect(exitMs).toBeLessThan(SHUTDOWN_BUDGET_MS);
      expect(stderr).not.toContain('shutdown took too long');

      const pids = (await lines(pidFile)).map(Number);
      await eventually(() => expect(pids.filter(alive)).toEqual([]));
      expect(await runningTaskRuns(w.pool)).toBe(0);
      const after = await statuses(w.pool);
      expect(slow.map((id) => after[id])).toEqual(['NEW', 'NEW']);
      const done = steady.filter((id) => after[id] === 'CREATED');
      expect(steady.filter((id) => after[id] !== 'CREATED').every((id) => after[id] === 'NEW')).toBe(true);
      expect((await lines(countFile)).sort()).toEqual(done.map(String).sort());
      await expectStoppedRun(w, jobId);
      await expectNoRunLock(w.pool);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    }
  });
});
