import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { pg } from '@pharma/shared/db';
import { captureLogs, eventually, type TestDatabase } from '@pharma/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskEnv } from '../../src/runner/script-outcome.js';
import { type ScriptRunners, startScriptRunners } from '../../src/runner/script-runner.js';
import { runOrchestrator } from '../../src/services/run.service.js';
import {
  createFolders,
  createWorkspace,
  type Folders,
  HEADER_LINE,
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

/** Alive (not gone, not a zombie waiting for its reaper). */
async function running(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  if (!stat) return false;
  return !['Z', 'X'].includes(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
}

describe('script hosts: the spawner process and the warm Python (real processes)', () => {
  let folders: Folders;
  let runners: ScriptRunners;
  const logs = captureLogs('orchestrator');

  const env = (id: string): TaskEnv => ({
    TASK_ID: id,
    TASK_FILE: join(folders.intake, 'source.csv'),
    TASK_CLIENT: 'Client',
    TASK_REPORT_TYPE: 'Продажи',
    TASK_OUTPUT_DIR: folders.final,
    TASK_HEADER_FILE: join(folders.base, 'header.xlsx'),
  });
  const run = (path: string, kind: 'python' | 'executable', id = '1', on = runners) =>
    on.run({ path, kind, version: '1' }, env(id));

  beforeAll(async () => {
    // A variable of the service that no script may see.
    process.env.ORCHESTRATOR_TEST_SECRET = 'not for scripts';
    folders = await createFolders();
    runners = startScriptRunners(
      runnerConfig('postgres://unused', folders, { ORCHESTRATOR_TASK_TIMEOUT_MS: '1500' }),
      logs.logger,
    );
  });

  afterAll(async () => {
    await runners?.close();
    await folders?.remove();
  });

  it('a .py script runs in a fork of the warm Python as it would in a fresh interpreter', async () => {
    const script = await putScript(
      folders,
      'Сеть',
      'Introspect',
      'convert.py',
      `import os, sys, json, atexit, threading, time
def late():
    time.sleep(0.2)
    print("thread done", flush=True)
threading.Thread(target=late).start()
atexit.register(lambda: print("atexit ran"))
print(json.dumps({"argv": sys.argv, "cwd": os.getcwd(), "path0": sys.path[0], "name": __name__,
                  "env": sorted(os.environ), "pid": os.getpid(), "pgid": os.getpgid(0), "sid": os.getsid(0),
                  "ppid": os.getppid(), "task": os.environ["TASK_ID"]}))
exit(7)
`,
    );
    const warm = await runners.hosts.python;
    expect(warm).toBeDefined();
    const outcome = await run(script, 'python', '42');
    expect(outcome).toMatchObject({ exitCode: 7, timedOut: false });
    const [line, ...rest] = outcome.stdout.trim().split('\n');
    const seen = JSON.parse(line as string);
    // The same script in a fresh interpreter (ORCHESTRATOR_PYTHON_WARM=false) sees the same.
    const plain = startScriptRunners(
      runnerConfig('postgres://unused', folders, { ORCHESTRATOR_PYTHON_WARM: 'false' }),
      logs.logger,
    );
    const fresh = await run(script, 'python', '42', plain).finally(() => plain.close());
    expect(fresh.exitCode).toBe(7);
    const freshSeen = JSON.parse(fresh.stdout.trim().split('\n')[0] as string);
    for (const key of ['argv', 'cwd', 'path0', 'name', 'env', 'task']) expect(seen[key]).toEqual(freshSeen[key]);
    expect(seen.argv).toEqual([script]);
    expect(seen.cwd).toBe(join(folders.scripts, 'Сеть', 'Introspect'));
    expect(seen.path0).toBe(join(folders.scripts, 'Сеть', 'Introspect'));
    expect(seen.name).toBe('__main__');
    expect(seen.task).toBe('42');
    // Its own session and process group, started by the warm Python.
    expect(seen.pgid).toBe(seen.pid);
    expect(seen.sid).toBe(seen.pid);
    expect(seen.ppid).toBe(warm?.pid);
    // The task's variables and the few passed from the service; nothing else of the service (DATABASE_URL...).
    expect(seen.env).not.toContain('ORCHESTRATOR_TEST_SECRET');
    expect(seen.env).toEqual(expect.arrayContaining(['TASK_ID', 'TASK_FILE', 'TASK_OUTPUT_DIR', 'TASK_HEADER_FILE']));
    // Non-daemon threads are waited for and atexit functions run, as at interpreter exit.
    expect(rest).toEqual(['thread done', 'atexit ran']);
  });

  it('errors end a .py script as the interpreter would: traceback from the script, sys.exit(text), bad syntax', async () => {
    const raises = await putScript(
      folders,
      'Сеть',
      'Raises',
      'convert.py',
      'def f():\n    raise ValueError("boom")\nf()\n',
    );
    const raised = await run(raises, 'python');
    expect(raised.exitCode).toBe(1);
    expect(raised.stderr).toMatch(/^Traceback \(most recent call last\):\n {2}File "[^"]*Raises\/convert\.py", line 3/);
    expect(raised.stderr).toContain('ValueError: boom');
    expect(raised.stderr).not.toContain('python-host');

    const message = await putScript(folders, 'Сеть', 'ExitText', 'convert.py', 'import sys\nsys.exit("no rows")\n');
    expect(await run(message, 'python')).toMatchObject({ exitCode: 1, stderr: 'no rows\n' });

    const syntax = await putScript(folders, 'Сеть', 'Syntax', 'convert.py', 'x = (\n');
    const broken = await run(syntax, 'python');
    expect(broken.exitCode).toBe(1);
    expect(broken.stderr).toContain('SyntaxError');
  });

  it('an edited .py script runs in its new version', async () => {
    const path = await putScript(folders, 'Сеть', 'Edited', 'convert.py', 'print("first")\n');
    expect((await run(path, 'python')).stdout).toBe('first\n');
    await putScript(folders, 'Сеть', 'Edited', 'convert.py', 'print("second version")\n');
    expect((await run(path, 'python')).stdout).toBe('second version\n');
  });

  it('a .py script past its timeout is killed with its whole process group', async () => {
    const pidFile = join(folders.base, 'python-grandchild.pid');
    const script = await putScript(
      folders,
      'Сеть',
      'PySleeper',
      'convert.py',
      `import subprocess, time
child = subprocess.Popen(["sleep", "60"])
open(${JSON.stringify(pidFile)}, "w").write(str(child.pid))
time.sleep(60)
`,
    );
    const outcome = await run(script, 'python');
    expect(outcome.timedOut).toBe(true);
    const grandchild = Number(await readFile(pidFile, 'utf8'));
    expect(grandchild).toBeGreaterThan(0);
    await eventually(async () => expect(await running(grandchild)).toBe(false));
  });

  it('a host that dies fails its tasks as lost (not hanging) and is replaced for the next one', async () => {
    const killsPython = await putScript(
      folders,
      'Сеть',
      'KillsPython',
      'convert.py',
      'import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nimport time\ntime.sleep(30)\n',
    );
    const firstPython = (await runners.hosts.python)?.pid;
    const lost = await run(killsPython, 'python');
    expect(lost).toMatchObject({ lost: true, timedOut: false });
    expect(lost.error).toContain('python host exited');
    const hello = await putScript(folders, 'Сеть', 'Hello', 'convert.py', 'print("hello")\n');
    expect(await run(hello, 'python')).toMatchObject({ exitCode: 0, stdout: 'hello\n' });
    expect((await runners.hosts.python)?.pid).not.toBe(firstPython);

    const killsSpawner = await putScript(
      folders,
      'Сеть',
      'KillsSpawner',
      'convert',
      '#!/bin/sh\nkill -9 $PPID\nsleep 30\n',
    );
    const firstSpawner = runners.hosts.processes.pid;
    expect(await run(killsSpawner, 'executable')).toMatchObject({ lost: true });
    const echo = await putScript(folders, 'Сеть', 'Echo', 'convert', '#!/bin/sh\necho "from sh"\n');
    expect(await run(echo, 'executable')).toMatchObject({ exitCode: 0, stdout: 'from sh\n' });
    expect(runners.hosts.processes.pid).not.toBe(firstSpawner);
  });

  it('closing the runners kills the scripts still running', async () => {
    const own = startScriptRunners(runnerConfig('postgres://unused', folders), logs.logger);
    const pidFile = join(folders.base, 'long.pid');
    const script = await putScript(
      folders,
      'Сеть',
      'Long',
      'convert.py',
      `import os, time\nopen(${JSON.stringify(pidFile)}, "w").write(str(os.getpid()))\ntime.sleep(60)\n`,
    );
    const outcome = run(script, 'python', '1', own);
    const pid = await eventually(async () => {
      const value = Number(await readFile(pidFile, 'utf8'));
      expect(value).toBeGreaterThan(0);
      return value;
    });
    await own.close();
    await eventually(async () => expect(await running(pid)).toBe(false));
    expect(await outcome).toMatchObject({ lost: true });
  });

  it('ORCHESTRATOR_PYTHON_WARM=false, or a Python that cannot start a host: a fresh interpreter per .py script', async () => {
    const script = await putScript(folders, 'Сеть', 'Plain', 'convert.py', 'import sys\nprint(sys.argv[0])\n');
    // The variables, and the exit code of the script then: run by the interpreter; by `false`; by nothing (127).
    const variants: [Record<string, string>, number][] = [
      [{ ORCHESTRATOR_PYTHON_WARM: 'false' }, 0],
      [{ ORCHESTRATOR_PYTHON: '/bin/false' }, 1],
      [{ ORCHESTRATOR_PYTHON: join(folders.base, 'no-such-python') }, 127],
    ];
    for (const [extra, exitCode] of variants) {
      const plain = startScriptRunners(runnerConfig('postgres://unused', folders, extra), logs.logger);
      try {
        expect(await plain.hosts.python).toBeUndefined();
        const outcome = await run(script, 'python', '1', plain);
        expect(outcome.exitCode).toBe(exitCode);
        if (exitCode === 0) expect(outcome.stdout).toBe(`${script}\n`);
      } finally {
        await plain.close();
      }
    }
  });
});

describe('a task whose script host died (real Postgres)', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let folders: Folders;
  let workspace: Workspace;

  beforeAll(async () => {
    workspace = await createWorkspace();
    ({ db, pool, folders } = workspace);
  });

  afterAll(async () => {
    await workspace?.close();
  });

  it('→ ERROR + RUNNER_LOST, and the next run takes the file again', async () => {
    await putScript(folders, 'Сеть', 'Unlucky', 'convert.py', 'import os\nos.kill(os.getppid(), 9)\n');
    const id = await registerFile(pool, folders, { client: 'Unlucky' });
    const deps = await runDeps(pool, runnerConfig(db.url, folders));
    try {
      const first = await runOrchestrator(deps, { runId: 'host-lost', trigger: 'request' });
      expect(first.counts).toEqual({ ERROR: 1, RUNNER_LOST: 1 });
      expect(await registryRow(pool, id)).toEqual({ status: 'ERROR', error_reason: 'RUNNER_LOST' });
      await putScript(
        folders,
        'Сеть',
        'Unlucky',
        'convert.py',
        pythonWriter(HEADER_LINE, [targetRow({ client_name: 'A', amount_type_1: '1' })]),
      );
      const second = await runOrchestrator(deps, { runId: 'host-lost-2', trigger: 'request' });
      expect(second.counts).toEqual({ CREATED: 1 });
      const attempts = await taskRuns(pool, id);
      expect(attempts.map((attempt) => [attempt.attempt, attempt.status, attempt.reason])).toEqual([
        [1, 'ERROR', 'RUNNER_LOST'],
        [2, 'CREATED', null],
      ]);
    } finally {
      await deps.runners.close();
    }
  });
});
