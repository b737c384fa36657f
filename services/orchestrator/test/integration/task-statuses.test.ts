import { existsSync } from 'node:fs';
import { readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { pg } from '@pharma/shared/db';
import type { TestDatabase } from '@pharma/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOrchestrator } from '../../src/services/run.service.js';
import {
  createWorkspace,
  type Folders,
  HEADER_LINE,
  moduleWriter,
  putScript,
  pythonWriter,
  registerFile,
  registryRow,
  runDeps,
  runnerConfig,
  targetRow,
  taskRuns,
  type Workspace,
} from '../helpers.js';

const GOOD_ROWS = [
  targetRow({ client_name: 'Аптека 1', amount_type_1: '3', period: '2025-06-01' }),
  targetRow({ client_name: 'Аптека 2', amount_type_1: '5.5', period: '2025-06-02', sum_nds: '10.20' }),
  targetRow({ client_name: 'Аптека 3', amount_type_1: '-1', period: '2025-06-03' }),
];

describe('every status and reason of a task, with real scripts (real Postgres)', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let folders: Folders;
  let workspace: Workspace;
  let deps: Awaited<ReturnType<typeof runDeps>>;
  const ids: Record<string, number> = {};
  let grandchildPidFile: string;

  beforeAll(async () => {
    workspace = await createWorkspace();
    ({ db, pool, folders } = workspace);
    deps = await runDeps(pool, runnerConfig(db.url, folders, { ORCHESTRATOR_TASK_TIMEOUT_MS: '1500' }));
    grandchildPidFile = join(folders.base, 'grandchild.pid');

    const scripts: [client: string, file: string, body: string][] = [
      ['ExitThree', 'convert.py', 'import sys\nprint("failing")\nsys.exit(3)\n'],
      ['Sleeper', 'convert', `#!/bin/sh\nsleep 60 &\necho $! > '${grandchildPidFile}'\nsleep 60\n`],
      ['Silent', 'convert.py', 'print("nothing to write")\n'],
      ['WrongHeader', 'convert.ts', moduleWriter('client_name,qty,period', ['A,1,x'])],
      ['GoodPython', 'convert.py', pythonWriter(HEADER_LINE, GOOD_ROWS)],
      ['GoodModule', 'convert.ts', moduleWriter(HEADER_LINE, GOOD_ROWS)],
      [
        'BadValue',
        'convert.py',
        pythonWriter(HEADER_LINE, [GOOD_ROWS[0] as string, targetRow({ amount_type_1: 'many' })]),
      ],
      ['Crash', 'convert.ts', 'export default function () { process.exit(5); }\n'],
      [
        'SlowModule',
        'convert.ts',
        'export default async function () { await new Promise((r) => setTimeout(r, 60_000)); }\n',
      ],
      ['Throws', 'convert.ts', 'export async function convert() { throw new Error("bad input"); }\n'],
    ];
    for (const [client, file, body] of scripts) await putScript(folders, 'Сеть', client, file, body);
    // A script name that escapes the scripts folder through a symlink is never run.
    await writeFile(join(folders.base, 'outside.py'), 'print("escaped")\n');
    await putScript(folders, 'Сеть', 'Escape', 'placeholder.txt', '');
    await symlink(join(folders.base, 'outside.py'), join(folders.scripts, 'Сеть', 'Escape', 'convert.py'));

    for (const client of [
      'ExitThree',
      'Sleeper',
      'Silent',
      'WrongHeader',
      'GoodPython',
      'GoodModule',
      'BadValue',
      'Crash',
      'SlowModule',
      'Throws',
      'Escape',
      'NoScriptClient',
      '..',
    ]) {
      ids[client] = await registerFile(pool, folders, { client: client === '..' ? 'dots' : client });
    }
    // A client name that tries to climb out of the scripts folder.
    await pool.query(`UPDATE ops.file_registry SET client_name = '..' WHERE id = $1`, [ids['..']]);
    const result = await runOrchestrator(deps, { runId: 'run-statuses', trigger: 'request' });
    expect(result.status).toBe('succeeded');
    expect(result.tasks).toBe(13);
  });

  afterAll(async () => {
    await deps?.runners.close();
    await workspace?.close();
  });

  const expectTask = async (client: string, status: string, reason: string | null) => {
    const row = await registryRow(pool, ids[client] as number);
    expect({ client, ...row }).toEqual({ client, status, error_reason: reason });
    return (await taskRuns(pool, ids[client] as number))[0];
  };

  it('no script → PROCESSING + NO_SCRIPT_FOUND, also for names escaping the scripts folder', async () => {
    await expectTask('NoScriptClient', 'PROCESSING', 'NO_SCRIPT_FOUND');
    await expectTask('..', 'PROCESSING', 'NO_SCRIPT_FOUND');
    const escaped = await expectTask('Escape', 'PROCESSING', 'NO_SCRIPT_FOUND');
    expect(escaped.stdout_tail).toBeNull();
  });

  it('a non-zero exit → ERROR + RETURN_CODE_<n>, with the output tail kept', async () => {
    const run = await expectTask('ExitThree', 'ERROR', 'RETURN_CODE_3');
    expect(run.exit_code).toBe(3);
    expect(run.stdout_tail).toContain('failing');
    await expectTask('Crash', 'ERROR', 'RETURN_CODE_5');
    const thrown = await expectTask('Throws', 'ERROR', 'RETURN_CODE_1');
    expect(thrown.stderr_tail).toContain('bad input');
  });

  it('a script past its timeout → ERROR + TIMEOUT, its whole process group killed', async () => {
    await expectTask('Sleeper', 'ERROR', 'TIMEOUT');
    await expectTask('SlowModule', 'ERROR', 'TIMEOUT');
    const pid = Number(await readFile(grandchildPidFile, 'utf8'));
    expect(pid).toBeGreaterThan(0);
    // Gone, or a zombie waiting for a reaper: either way no longer running.
    const state = await readFile(`/proc/${pid}/stat`, 'utf8').then(
      (stat) => stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3),
      () => 'gone',
    );
    expect(['gone', 'Z', 'X']).toContain(state);
  });

  it('no output file → ERROR + NO_OUTPUT_FILE', async () => {
    const run = await expectTask('Silent', 'ERROR', 'NO_OUTPUT_FILE');
    expect(run.stdout_tail).toContain('nothing to write');
  });

  it('a wrong header → ERROR + BAD_HEADER with the difference; the output stays out of "ready to load"', async () => {
    const run = await expectTask('WrongHeader', 'ERROR', 'BAD_HEADER');
    expect(run.detail).toContain('missing: supplier_filial');
    expect(run.detail).toContain('unexpected: qty');
    expect(existsSync(run.output_file)).toBe(true);
    expect(await readdir(folders.ready)).not.toContain(run.output_file.split('/').pop());
  });

  it('a correct file → CREATED: moved to "ready to load" and loaded, typed', async () => {
    for (const client of ['GoodPython', 'GoodModule']) {
      const run = await expectTask(client, 'CREATED', null);
      expect(run.rows_loaded).toBe(3);
      expect(existsSync(run.output_file)).toBe(false);
      expect(await readFile(run.ready_file, 'utf8')).toContain('Аптека 2');
      const rows = await pool.query(
        `SELECT d.client_name, amount_type_1::text AS amount, period::text AS period, sum_nds::text AS sum_nds
           FROM raw.primary_data d JOIN ops.file_registry r ON r.file_path = d.source_file
          WHERE r.id = $1 ORDER BY d.client_name`,
        [ids[client]],
      );
      expect(rows.rows).toEqual([
        { client_name: 'Аптека 1', amount: '3', period: '2025-06-01', sum_nds: null },
        { client_name: 'Аптека 2', amount: '5.5', period: '2025-06-02', sum_nds: '10.20' },
        { client_name: 'Аптека 3', amount: '-1', period: '2025-06-03', sum_nds: null },
      ]);
    }
  });

  it('a load that fails → ERROR + LOAD_FAILED with no row of the file', async () => {
    const run = await expectTask('BadValue', 'ERROR', 'LOAD_FAILED');
    expect(run.detail).toMatch(/numeric/);
    const rows = await pool.query(
      'SELECT count(*)::int AS n FROM raw.primary_data d JOIN ops.file_registry r ON r.file_path = d.source_file WHERE r.id = $1',
      [ids.BadValue],
    );
    expect(rows.rows[0].n).toBe(0);
  });

  it('the next run retries ERROR and PROCESSING files (attempt 2), leaves CREATED ones, and a reload replaces rows', async () => {
    await pool.query(`UPDATE ops.file_registry SET status = 'NEW' WHERE id = $1`, [ids.GoodModule]);
    const before = await pool.query('SELECT count(*)::int AS n FROM raw.primary_data');
    const second = await runOrchestrator(deps, { runId: 'run-statuses-2', trigger: 'request' });
    expect(second.tasks).toBe(12);
    expect((await taskRuns(pool, ids.GoodPython as number)).length).toBe(1);
    const attempts = await taskRuns(pool, ids.GoodModule as number);
    expect(attempts.map((run) => [run.attempt, run.status])).toEqual([
      [1, 'CREATED'],
      [2, 'CREATED'],
    ]);
    const after = await pool.query('SELECT count(*)::int AS n FROM raw.primary_data');
    expect(after.rows[0].n).toBe(before.rows[0].n);
    const loads = await pool.query('SELECT count(*)::int AS n FROM raw.primary_data_loads');
    expect(loads.rows[0].n).toBe(2);
  });
});
