// Orchestrator runs against the machine's PostgreSQL (a scratch database): the per-task overhead without the
// script's own time (a module's conversion function as timed in its worker thread: handing the task to the worker
// and the answer back count as overhead), 1 000 tasks of a trivial Python script and of a trivial TypeScript module at the default
// concurrency, and the Агроресурсы sample end to end (needs SAMPLES_DIR, default ../shared/samples beside the repo).
// ORCHESTRATOR_PYTHON and ORCHESTRATOR_CONCURRENCY are read from the environment as the service reads them.
// Prints { overhead_ms_per_task, python_1000_tasks_s, ts_1000_tasks_s, agroresursy_e2e_s, python, ... } last (python:
// the interpreter used, ORCHESTRATOR_PYTHON or the service default; then the overhead of each run, the CPU seconds
// of the 1 000-task runs and the load average).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPgPool, migratePostgres } from '@pharma/shared/db';
import { createLogger } from '@pharma/shared/logger';
import { MIGRATIONS_FOLDER } from '../services/orchestrator/dist/app.js';
import { BUNDLED_SCRIPTS_DIR, loadConfig } from '../services/orchestrator/dist/config.js';
import { withAsyncCommit } from '../services/orchestrator/dist/db/commit-durability.js';
import { TARGET_COLUMNS } from '../services/orchestrator/dist/domain/target-columns.js';
import { loadTargetHeader } from '../services/orchestrator/dist/files/target-header.js';
import { resolvePython } from '../services/orchestrator/dist/runner/python-interpreter.js';
import { startScriptRunners } from '../services/orchestrator/dist/runner/script-runner.js';
import { runOrchestrator } from '../services/orchestrator/dist/services/run.service.js';
import type { RunDeps, TaskResult } from '../services/orchestrator/dist/services/run.types.js';
import { adminUrl, withScratchDatabase } from './_scratch-database.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const REGISTRY_MIGRATIONS = join(repo, 'services/file-registry/drizzle');
const samplesDir = process.env.SAMPLES_DIR ?? resolve(repo, '../shared/samples');
const TASKS = 1_000;
// The overhead is the best of a few runs: other work on the machine only ever adds to it. Each run is long enough
// for a run's own fixed costs (lock, counts, clean-up) to weigh little, after a warm-up long enough for the code's
// optimisation to have settled: the figure is the per-task cost of a long run.
const OVERHEAD_RUNS = 3;
const OVERHEAD_TASKS = 300;
const WARM_UP_TASKS = 100;
const progress = (message: string) => process.stderr.write(`${message}\n`);

// CPU time (Linux /proc): on a machine shared with other work, wall times swing with the load; the CPU a phase
// costs does much less. service = this process (main thread and module workers); hosts = the script hosts and the
// scripts they started and reaped; postgres = the backends of the benchmark's database.
const CLOCK_TICKS = existsSync('/proc/self/stat') ? Number(execFileSync('getconf', ['CLK_TCK']).toString()) || 100 : 0;
function processCpuSeconds(pid: number, withChildren: boolean): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    // utime, stime, cutime, cstime are fields 14-17 of the line, 12-15 after the name.
    const [utime = 0, stime = 0, cutime = 0, cstime = 0] = fields.slice(11, 15);
    return (utime + stime + (withChildren ? cutime + cstime : 0)) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

const header = TARGET_COLUMNS.join(',');
const row = TARGET_COLUMNS.map((column) =>
  column === 'amount_type_1' ? '1' : column === 'client_name' ? 'A' : '',
).join(',');

const PYTHON = `import os, datetime
src = os.path.splitext(os.path.basename(os.environ["TASK_FILE"]))[0]
stamp = datetime.datetime.now().strftime("%Y%m%d_%H%M%S")
name = f"{os.environ['TASK_CLIENT']}_id{os.environ['TASK_ID']}_{src}_{stamp}.csv"
with open(os.path.join(os.environ["TASK_OUTPUT_DIR"], name), "w") as out:
    out.write(${JSON.stringify(`${header}\n${row}\n`)})
`;

const MODULE = `import { writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
const p = (n: number) => String(n).padStart(2, '0');
export default async function convert(task: { id: string; file: string; client: string; outputDir: string }) {
  const d = new Date();
  const stamp = \`\${d.getFullYear()}\${p(d.getMonth() + 1)}\${p(d.getDate())}_\${p(d.getHours())}\${p(d.getMinutes())}\${p(d.getSeconds())}\`;
  const source = basename(task.file, extname(task.file));
  await writeFile(join(task.outputDir, \`\${task.client}_id\${task.id}_\${source}_\${stamp}.csv\`), ${JSON.stringify(`${header}\n${row}\n`)});
}
`;

async function main() {
  const base = await mkdtemp(join(tmpdir(), 'bench-orchestrator-'));
  const folders = {
    intake: join(base, 'intake'),
    scripts: join(base, 'scripts'),
    final: join(base, 'final'),
    ready: join(base, 'ready'),
  };
  for (const folder of Object.values(folders)) await mkdir(folder, { recursive: true });
  await writeFile(join(folders.scripts, 'package.json'), '{"type":"module"}\n');
  const put = async (relative: string, body: string) => {
    const path = join(folders.scripts, relative);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, body);
    await chmod(path, 0o755);
  };
  await put('Сеть/PyClient/convert.py', PYTHON);
  await put('Сеть/TsClient/convert.ts', MODULE);

  try {
    return await withScratchDatabase('bench_orchestrator', async (url) => {
      // As the service does (app.ts): asynchronous commits.
      const pool = createPgPool(withAsyncCommit(url), 40);
      await migratePostgres(pool, REGISTRY_MIGRATIONS, 'file-registry');
      await migratePostgres(pool, MIGRATIONS_FOLDER, 'orchestrator');
      // As the service does (app.ts): the interpreter's real path resolved once; ORCHESTRATOR_PYTHON as the service reads it.
      const python = await resolvePython(
        process.env.ORCHESTRATOR_PYTHON || loadConfig({ DATABASE_URL: adminUrl }).runner.python,
      );
      const logger = createLogger({ service: 'bench-orchestrator', level: 'warn' });
      const deps = async (extra: Record<string, string> = {}) => {
        const config = loadConfig({
          DATABASE_URL: url,
          ORCHESTRATOR_PYTHON: python,
          REGISTRY_ROOT: folders.intake,
          ORCHESTRATOR_SCRIPTS_DIR: folders.scripts,
          ORCHESTRATOR_FINAL_DIR: folders.final,
          ORCHESTRATOR_READY_DIR: folders.ready,
          ...extra,
        }).runner;
        // As the service does (script-runners plugin): warm worker threads, the spawner host, the warm Python.
        const runners = startScriptRunners(config, logger);
        const results: TaskResult[] = [];
        const runDeps: RunDeps = {
          pool,
          config,
          runScript: runners.run,
          header: await loadTargetHeader(),
          events: { taskUpdated: async (_id, result) => void results.push(result), runCompleted: async () => {} },
          logger,
        };
        return { runDeps, runners, results, config };
      };
      const register = async (client: string, provider: string, count: number, name = (i: number) => `r${i}.csv`) => {
        await pool.query('TRUNCATE ops.file_registry, ops.task_runs, raw.primary_data, raw.primary_data_loads');
        const folder = join(folders.intake, provider, '2025', '06', client, 'Продажи');
        await mkdir(folder, { recursive: true });
        const paths: string[] = [];
        for (let i = 0; i < count; i++) {
          if (!existsSync(join(folder, name(i)))) await writeFile(join(folder, name(i)), 'a;b\n1;2\n');
          paths.push(`${provider}/2025/06/${client}/Продажи/${name(i)}`);
        }
        await pool.query(
          `INSERT INTO ops.file_registry (file_path, status, data_provider, report_year, report_month, client_name, report_type)
           SELECT p, 'NEW', $2, 2025, 6, $3, 'Продажи' FROM unnest($1::text[]) AS p`,
          [paths, provider === 'Сети' ? 'Сеть' : 'Дистрибьютор', client],
        );
      };
      const cpuSnapshot = async (setup: Awaited<ReturnType<typeof deps>>) => {
        const hosts = [setup.runners.hosts.processes.pid, (await setup.runners.hosts.python)?.pid];
        const backends = await pool.query<{ pid: number }>(
          'SELECT pid FROM pg_stat_activity WHERE datname = current_database()',
        );
        const usage = process.cpuUsage();
        return {
          service: (usage.user + usage.system) / 1e6,
          hosts: new Map(hosts.filter((pid) => pid !== undefined).map((pid) => [pid, processCpuSeconds(pid, true)])),
          postgres: new Map(backends.rows.map((row) => [row.pid, processCpuSeconds(row.pid, false)])),
        };
      };
      const cpuSince = async (
        setup: Awaited<ReturnType<typeof deps>>,
        before: Awaited<ReturnType<typeof cpuSnapshot>>,
      ) => {
        const after = await cpuSnapshot(setup);
        const grown = (now: Map<number, number>, then: Map<number, number>) =>
          [...now].reduce((sum, [pid, seconds]) => sum + seconds - (then.get(pid) ?? 0), 0);
        const cpu = {
          service: after.service - before.service,
          hosts: grown(after.hosts, before.hosts),
          postgres: grown(after.postgres, before.postgres),
        };
        return { ...cpu, total: cpu.service + cpu.hosts + cpu.postgres };
      };
      const timedRun = async (setup: Awaited<ReturnType<typeof deps>>, runId: string) => {
        // The hosts are up before the clock starts, as in the service (started with it).
        await setup.runners.hosts.processes.start();
        await setup.runners.hosts.python;
        const before = CLOCK_TICKS ? await cpuSnapshot(setup) : undefined;
        const started = performance.now();
        const result = await runOrchestrator(setup.runDeps, { runId, trigger: 'request' });
        const seconds = (performance.now() - started) / 1000;
        if (result.counts.CREATED !== result.tasks) throw new Error(`${runId}: ${JSON.stringify(result.counts)}`);
        const cpu = before ? await cpuSince(setup, before) : undefined;
        if (cpu) {
          const ms = (value: number) => ((value * 1000) / Math.max(1, result.tasks)).toFixed(2);
          progress(
            `  ${runId}: CPU per task ${ms(cpu.total)} ms (service ${ms(cpu.service)}, hosts and scripts ${ms(cpu.hosts)}, postgres ${ms(cpu.postgres)})`,
          );
        }
        return { seconds, result, cpu };
      };

      // Overhead: one script at a time, wall time minus the scripts' own time (module already warm).
      const single = await deps({ ORCHESTRATOR_CONCURRENCY: '1' });
      await register('TsClient', 'Сети', WARM_UP_TASKS);
      await timedRun(single, 'warm-up');
      single.results.length = 0;
      const overheads: number[] = [];
      for (let run = 1; run <= OVERHEAD_RUNS; run++) {
        single.results.length = 0;
        await register('TsClient', 'Сети', OVERHEAD_TASKS);
        const overheadRun = await timedRun(single, `overhead-${run}`);
        const scriptSeconds = single.results.reduce((sum, r) => sum + (r.scriptMs ?? 0), 0) / 1000;
        overheads.push(((overheadRun.seconds - scriptSeconds) * 1000) / OVERHEAD_TASKS);
      }
      const overhead = Math.min(...overheads);
      await single.runners.close();
      progress(
        `overhead: ${overhead.toFixed(2)} ms/task (best of ${overheads.map((value) => value.toFixed(2)).join(', ')}; ${OVERHEAD_TASKS} tasks each, concurrency 1)`,
      );
      progress(
        `load average: ${loadavg()
          .map((value) => value.toFixed(2))
          .join(' ')}`,
      );

      const parallel = await deps(
        process.env.ORCHESTRATOR_CONCURRENCY ? { ORCHESTRATOR_CONCURRENCY: process.env.ORCHESTRATOR_CONCURRENCY } : {},
      );
      progress(`concurrency: ${parallel.config.concurrency}`);
      await register('PyClient', 'Сети', TASKS);
      const pythonRun = await timedRun(parallel, 'python');
      progress(`python: ${TASKS} tasks in ${pythonRun.seconds.toFixed(2)} s`);
      await register('TsClient', 'Сети', TASKS);
      const ts = await timedRun(parallel, 'ts');
      progress(`ts: ${TASKS} tasks in ${ts.seconds.toFixed(2)} s`);

      let agro: number | null = null;
      const sample = join(samplesDir, 'distributors', 'agroresursy_2025-06.xlsx');
      if (existsSync(sample)) {
        const started = performance.now();
        const target = join(folders.intake, 'Дистрибьюторы', '2025', '06', 'Агроресурсы', 'Продажи');
        await mkdir(target, { recursive: true });
        await copyFile(sample, join(target, 'agroresursy_2025-06.xlsx'));
        await register('Агроресурсы', 'Дистрибьюторы', 1, () => 'agroresursy_2025-06.xlsx');
        // The real Агроресурсы script, as shipped with the service.
        const shipped = await deps({ ORCHESTRATOR_SCRIPTS_DIR: BUNDLED_SCRIPTS_DIR });
        const run = await timedRun(shipped, 'agroresursy');
        await shipped.runners.close();
        agro = (performance.now() - started) / 1000;
        const rows = await pool.query('SELECT count(*)::int AS n FROM raw.primary_data');
        progress(
          `agroresursy: ${rows.rows[0].n} rows loaded, run ${run.seconds.toFixed(2)} s, end to end ${agro.toFixed(2)} s`,
        );
      } else {
        progress(`no sample at ${sample}: set SAMPLES_DIR to measure agroresursy_e2e_s`);
      }
      await parallel.runners.close();
      await pool.end();
      return {
        overhead_ms_per_task: Number(overhead.toFixed(3)),
        overhead_runs_ms: overheads.map((value) => Number(value.toFixed(3))),
        python_1000_tasks_s: Number(pythonRun.seconds.toFixed(3)),
        ts_1000_tasks_s: Number(ts.seconds.toFixed(3)),
        agroresursy_e2e_s: agro === null ? null : Number(agro.toFixed(3)),
        python,
        // CPU seconds of the whole run (service, hosts and scripts, postgres): what the wall time would approach
        // on idle cores, divided by their number.
        python_1000_tasks_cpu_s: pythonRun.cpu ? Number(pythonRun.cpu.total.toFixed(3)) : null,
        ts_1000_tasks_cpu_s: ts.cpu ? Number(ts.cpu.total.toFixed(3)) : null,
        load_average: loadavg().map((value) => Number(value.toFixed(2))),
      };
    });
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}

const result = await main();
console.log(JSON.stringify(result));
