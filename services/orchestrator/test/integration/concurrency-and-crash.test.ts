import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { pg } from '@pharma/shared/db';
import { eventually, type TestDatabase } from '@pharma/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOrchestrator } from '../../src/services/run.service.js';
import {
  createWorkspace,
  type Folders,
  HEADER_LINE,
  orchestratorEnv,
  putScript,
  pythonWriter,
  registerFile,
  runDeps,
  runnerConfig,
  SERVICE_DIR,
  targetRow,
  type Workspace,
} from '../helpers.js';

const ROWS = [targetRow({ client_name: 'A', amount_type_1: '1' }), targetRow({ client_name: 'B', amount_type_1: '2' })];

describe('two orchestrators, and an orchestrator killed mid-run (real Postgres, real processes)', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let folders: Folders;
  let workspace: Workspace;

  beforeAll(async () => {
    workspace = await createWorkspace();
    ({ db, pool, folders } = workspace);
    await putScript(folders, 'Сеть', 'Slow', 'convert.py', pythonWriter(HEADER_LINE, ROWS, { sleep: 0.3 }));
  });

  afterAll(async () => {
    await workspace?.close();
  });

  const attemptsPerFile = async () =>
    (await pool.query('SELECT file_id, count(*)::int AS n FROM ops.task_runs GROUP BY file_id')).rows as {
      file_id: number;
      n: number;
    }[];

  it('two runners of one lock scope started together: one runs, the other reports LOCKED and touches nothing', async () => {
    await pool.query('TRUNCATE ops.file_registry, ops.task_runs, raw.primary_data, raw.primary_data_loads');
    for (let i = 0; i < 6; i++) await registerFile(pool, folders, { client: 'Slow', name: `lock-${i}.csv` });
    const [a, b] = await Promise.all([
      runDeps(pool, runnerConfig(db.url, folders)),
      runDeps(pool, runnerConfig(db.url, folders)),
    ]);
    const results = await Promise.all([
      runOrchestrator(a, { runId: 'lock-a', trigger: 'request' }),
      runOrchestrator(b, { runId: 'lock-b', trigger: 'schedule' }),
    ]);
    await Promise.all([a.runners.close(), b.runners.close()]);
    expect(results.map((result) => result.status).sort()).toEqual(['locked', 'succeeded']);
    const locked = results.find((result) => result.status === 'locked');
    expect(locked?.tasks).toBe(0);
    const lockedRun = await pool.query('SELECT status, error FROM ops.orchestrator_runs WHERE id = $1', [
      locked?.runId,
    ]);
    expect(lockedRun.rows[0]).toEqual({ status: 'locked', error: 'LOCKED' });
    const tasksOfLocked = await pool.query('SELECT count(*)::int AS n FROM ops.task_runs WHERE run_id = $1', [
      locked?.runId,
    ]);
    expect(tasksOfLocked.rows[0].n).toBe(0);
    const attempts = await attemptsPerFile();
    expect(attempts).toHaveLength(6);
    expect(attempts.every((row) => row.n === 1)).toBe(true);
  });

  it('runners of two scopes (two machines) share the queue: every file runs exactly once', async () => {
    await pool.query('TRUNCATE ops.file_registry, ops.task_runs, raw.primary_data, raw.primary_data_loads');
    for (let i = 0; i < 16; i++) await registerFile(pool, folders, { client: 'Slow', name: `shared-${i}.csv` });
    const [a, b] = await Promise.all([
      runDeps(
        pool,
        runnerConfig(db.url, folders, { ORCHESTRATOR_LOCK_SCOPE: 'machine-a', ORCHESTRATOR_CONCURRENCY: '3' }),
      ),
      runDeps(
        pool,
        runnerConfig(db.url, folders, { ORCHESTRATOR_LOCK_SCOPE: 'machine-b', ORCHESTRATOR_CONCURRENCY: '3' }),
      ),
    ]);
    const results = await Promise.all([
      runOrchestrator(a, { runId: 'share-a', trigger: 'request' }),
      runOrchestrator(b, { runId: 'share-b', trigger: 'request' }),
    ]);
    await Promise.all([a.runners.close(), b.runners.close()]);
    expect(results.map((result) => result.status)).toEqual(['succeeded', 'succeeded']);
    expect(results[0].tasks + results[1].tasks).toBe(16);
    expect(results[0].tasks).toBeGreaterThan(0);
    expect(results[1].tasks).toBeGreaterThan(0);
    const attempts = await attemptsPerFile();
    expect(attempts).toHaveLength(16);
    expect(attempts.every((row) => row.n === 1)).toBe(true);
    const statuses = await pool.query('SELECT DISTINCT status FROM ops.file_registry');
    expect(statuses.rows).toEqual([{ status: 'CREATED' }]);
  });

  it('kill -9 mid-run: every file finished or re-runnable, nothing half-moved, the next run completes the rest', async () => {
    await pool.query('TRUNCATE ops.file_registry, ops.task_runs, raw.primary_data, raw.primary_data_loads');
    const files = 24;
    for (let i = 0; i < files; i++) await registerFile(pool, folders, { client: 'Slow', name: `crash-${i}.csv` });
    const child = spawn(process.execPath, ['--import', 'tsx', join(SERVICE_DIR, 'test/fixtures/run-child.ts')], {
      env: { ...process.env, ...orchestratorEnv(db.url, folders, { ORCHESTRATOR_CONCURRENCY: '3' }), RUN_ID: 'killed' },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await eventually(
      async () => {
        const done = await pool.query(`SELECT count(*)::int AS n FROM ops.task_runs WHERE finished_at IS NOT NULL`);
        expect(done.rows[0].n).toBeGreaterThanOrEqual(4);
      },
      { timeoutMs: 30_000, intervalMs: 20 },
    );
    child.kill('SIGKILL');
    await exited;

    // Whatever the kill interrupted: a file is CREATED with its rows, or still NEW (re-runnable), never in between.
    const afterKill = await pool.query(
      `SELECT r.id, r.status, (SELECT count(*)::int FROM raw.primary_data d WHERE d.source_file = r.file_path) AS rows
         FROM ops.file_registry r`,
    );
    expect(afterKill.rows.length).toBe(files);
    for (const row of afterKill.rows) {
      expect(['CREATED', 'NEW']).toContain(row.status);
      expect(row.rows).toBe(row.status === 'CREATED' ? 2 : 0);
    }
    const unfinished = afterKill.rows.filter((row) => row.status === 'NEW').length;
    expect(unfinished).toBeGreaterThan(0);
    // No row lock survives the dead runner: a new run takes every unfinished file.
    const deps = await runDeps(pool, runnerConfig(db.url, folders));
    const rerun = await runOrchestrator(deps, { runId: 'after-kill', trigger: 'request' });
    await deps.runners.close();
    expect(rerun.status).toBe('succeeded');
    expect(rerun.tasks).toBe(unfinished);
    const statuses = await pool.query('SELECT status, count(*)::int AS n FROM ops.file_registry GROUP BY status');
    expect(statuses.rows).toEqual([{ status: 'CREATED', n: files }]);
    const loaded = await pool.query('SELECT count(*)::int AS n FROM raw.primary_data');
    expect(loaded.rows[0].n).toBe(files * 2);
    const abandoned = await pool.query(`SELECT count(*)::int AS n FROM ops.task_runs WHERE status = 'ABANDONED'`);
    expect(abandoned.rows[0].n).toBeGreaterThan(0);
    // "Ready to load" holds only complete files: no temporary copy, every file a full CSV.
    const ready = await readdir(folders.ready);
    expect(ready.filter((name) => name.includes('.partial'))).toEqual([]);
    for (const name of ready) {
      const text = await readFile(join(folders.ready, name), 'utf8');
      expect(text.split('\n').filter(Boolean)).toHaveLength(3);
    }
  });
});
