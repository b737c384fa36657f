import { chmod, mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPgPool, migratePostgres, type pg } from '@pharma/shared/db';
import { captureLogs, createTestDatabase, type TestDatabase } from '@pharma/testkit';
import { MIGRATIONS_FOLDER } from '../src/app.js';
import { loadConfig, type RunnerConfig } from '../src/config.js';
import { TARGET_COLUMNS } from '../src/domain/target-columns.js';
import { loadTargetHeader } from '../src/files/target-header.js';
import { type ScriptRunners, startScriptRunners } from '../src/runner/script-runner.js';
import type { RunDeps, RunEvents, RunResult, TaskResult } from '../src/services/run.types.js';

export const REGISTRY_MIGRATIONS = fileURLToPath(new URL('../../file-registry/drizzle', import.meta.url));
export const SERVICE_DIR = fileURLToPath(new URL('..', import.meta.url));
export const HEADER_LINE = TARGET_COLUMNS.join(',');

/** The registry's table (its own migrations, as the registry service applies them) and the orchestrator's tables. */
export async function migrateAll(url: string): Promise<pg.Pool> {
  const pool = createPgPool(url, 20);
  await migratePostgres(pool, REGISTRY_MIGRATIONS, 'file-registry');
  await migratePostgres(pool, MIGRATIONS_FOLDER, 'orchestrator');
  return pool;
}

export interface Folders {
  base: string;
  intake: string;
  scripts: string;
  final: string;
  ready: string;
  remove(): Promise<void>;
}

export async function createFolders(): Promise<Folders> {
  const base = await mkdtemp(join(tmpdir(), 'orchestrator-test-'));
  const folders = {
    base,
    intake: join(base, 'intake'),
    scripts: join(base, 'scripts'),
    final: join(base, 'final'),
    ready: join(base, 'ready'),
    remove: () => rm(base, { recursive: true, force: true }),
  };
  for (const dir of [folders.intake, folders.scripts, folders.final, folders.ready])
    await mkdir(dir, { recursive: true });
  // TypeScript client modules in this folder are ES modules.
  await writeFile(join(folders.scripts, 'package.json'), '{"type":"module"}\n');
  return folders;
}

export interface Workspace {
  db: TestDatabase;
  pool: pg.Pool;
  folders: Folders;
  /** Ends the pool, drops the database and removes the folders. */
  close(): Promise<void>;
}

/** A fresh database with the registry's and the orchestrator's tables, and empty folders. */
export async function createWorkspace(): Promise<Workspace> {
  const [db, folders] = await Promise.all([createTestDatabase(), createFolders()]);
  const pool = await migrateAll(db.url);
  return {
    db,
    pool,
    folders,
    async close() {
      await pool.end();
      await Promise.all([db.drop(), folders.remove()]);
    },
  };
}

export function orchestratorEnv(dbUrl: string, folders: Folders, extra: Record<string, string> = {}) {
  return {
    DATABASE_URL: dbUrl,
    REGISTRY_ROOT: folders.intake,
    ORCHESTRATOR_SCRIPTS_DIR: folders.scripts,
    ORCHESTRATOR_FINAL_DIR: folders.final,
    ORCHESTRATOR_READY_DIR: folders.ready,
    ORCHESTRATOR_CONCURRENCY: '4',
    ORCHESTRATOR_TASK_TIMEOUT_MS: '20000',
    ORCHESTRATOR_SCHEDULE_ENABLED: 'false',
    ORCHESTRATOR_MOVE_RETRY_DELAY_MS: '20',
    LOG_LEVEL: 'debug',
    ...extra,
  };
}

export function runnerConfig(dbUrl: string, folders: Folders, extra: Record<string, string> = {}): RunnerConfig {
  return loadConfig(orchestratorEnv(dbUrl, folders, extra)).runner;
}

/** Writes a client script (executable bit set) under `<scripts>/<provider>/<client>/<name>`. */
export async function putScript(folders: Folders, provider: string, client: string, name: string, body: string) {
  const path = join(folders.scripts, provider, client, name);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, body);
  await chmod(path, 0o755);
  return path;
}

export interface RegistryRow {
  provider?: string;
  client: string;
  reportType?: string;
  name?: string;
  content?: string;
}

/** Drops a source file in the intake tree and registers it as the registry would (status NEW). */
export async function registerFile(pool: pg.Pool, folders: Folders, row: RegistryRow): Promise<number> {
  const provider = row.provider ?? 'Сеть';
  const folder = provider === 'Сеть' ? 'Сети' : 'Дистрибьюторы';
  const relative = `${folder}/2025/06/${row.client}/${row.reportType ?? 'Продажи'}/${row.name ?? 'june.csv'}`;
  const path = join(folders.intake, relative);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, row.content ?? 'Аптека;Количество\nА;1\n');
  const hourAgo = new Date(Date.now() - 3_600_000);
  await utimes(path, hourAgo, hourAgo);
  const result = await pool.query(
    `INSERT INTO ops.file_registry (file_path, uploaded_at, status, data_provider, report_year, report_month,
                                   client_name, report_type)
     VALUES ($1, $2, 'NEW', $3, 2025, 6, $4, $5) RETURNING id`,
    [relative, hourAgo, provider, row.client, row.reportType ?? 'Продажи'],
  );
  return result.rows[0].id;
}

export function collectingEvents(): RunEvents & { tasks: TaskResult[]; runs: RunResult[] } {
  const tasks: TaskResult[] = [];
  const runs: RunResult[] = [];
  return {
    tasks,
    runs,
    async taskUpdated(_runId, result) {
      tasks.push(result);
    },
    async runCompleted(result) {
      runs.push(result);
    },
  };
}

export async function runDeps(
  pool: pg.Pool,
  config: RunnerConfig,
): Promise<RunDeps & { events: ReturnType<typeof collectingEvents>; runners: ScriptRunners }> {
  const logger = captureLogs('orchestrator').logger;
  const runners = startScriptRunners(config, logger);
  return {
    pool,
    config,
    runScript: runners.run,
    header: await loadTargetHeader(),
    events: collectingEvents(),
    logger,
    runners,
  };
}

export async function registryRow(pool: pg.Pool, id: number) {
  const result = await pool.query('SELECT status, error_reason FROM ops.file_registry WHERE id = $1', [id]);
  return result.rows[0] as { status: string; error_reason: string | null };
}

export async function taskRuns(pool: pg.Pool, fileId: number) {
  const result = await pool.query('SELECT * FROM ops.task_runs WHERE file_id = $1 ORDER BY attempt', [fileId]);
  return result.rows;
}

/** A Python client script writing `rows` lines of a CSV with the given header, under the required name. */
export function pythonWriter(header: string, rows: string[], { sleep = 0 } = {}) {
  return `import os, time, datetime
time.sleep(${sleep})
src = os.path.splitext(os.path.basename(os.environ["TASK_FILE"]))[0]
stamp = datetime.datetime.now().strftime("%Y%m%d_%H%M%S")
name = f"{os.environ['TASK_CLIENT']}_id{os.environ['TASK_ID']}_{src}_{stamp}.csv"
tmp = os.path.join(os.environ["TASK_OUTPUT_DIR"], name + ".part")
with open(tmp, "w", encoding="utf-8") as out:
    out.write(${JSON.stringify(`${header}\n`)})
    for line in ${JSON.stringify(rows)}:
        out.write(line + "\\n")
os.rename(tmp, os.path.join(os.environ["TASK_OUTPUT_DIR"], name))
print("wrote", name)
`;
}

/** A TypeScript module script writing a CSV with the given header and rows. */
export function moduleWriter(header: string, rows: string[]) {
  return `import { writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
export default async function convert(task: { id: string; file: string; client: string; outputDir: string }) {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = \`\${d.getFullYear()}\${p(d.getMonth() + 1)}\${p(d.getDate())}_\${p(d.getHours())}\${p(d.getMinutes())}\${p(d.getSeconds())}\`;
  const source = basename(task.file, extname(task.file));
  const body = ${JSON.stringify(`${header}\n${rows.map((row) => `${row}\n`).join('')}`)};
  await writeFile(join(task.outputDir, \`\${task.client}_id\${task.id}_\${source}_\${stamp}.csv\`), body);
}
`;
}

/** A data row of the target header: amount, period and the client name filled, the rest empty. */
export function targetRow(values: Partial<Record<(typeof TARGET_COLUMNS)[number], string>>): string {
  return TARGET_COLUMNS.map((column) => values[column] ?? '').join(',');
}
