import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Job, JobStore, type NatsContext, publishEvent } from '@pharma/shared/messaging';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  observe,
  type Platform,
  platformLogs,
  since,
  startDrillPlatform,
  waitReady,
} from './support/drill-platform.js';
import { DrillReport } from './support/drill-report.js';

// PostgreSQL stops for 10 s in the middle of a registry scan and of an orchestrator run. Each must end cleanly
// (or resume), never leave a registry status or task run outside the design's states, never leave a file half
// moved, and a re-run must finish the work.

const FILES = 120;
const ROWS_PER_FILE = 3;
const OUTAGE_MS = 10_000;
// A young file is registered only once a second look, this long after it was written, finds it unchanged: the
// scan then holds its database session while it waits, which is when PostgreSQL goes away.
const STABLE_AFTER_MS = 6_000;
const REGISTRY_STATUSES = ['NEW', 'PROCESSING', 'CREATED', 'ERROR', 'DELETE'];
const TASK_RUN_STATUSES = ['PROCESSING', 'CREATED', 'ERROR', 'ABANDONED'];
const CLIENT_FOLDER = join('Сети', '2025', '06', 'Аптека 36.6', 'Продажи');

const report = new DrillReport('PostgreSQL outages');
let platform: Platform;
let nats: NatsContext;
let jobs: JobStore;
let db: pg.Pool;

function writeIntakeFiles(): void {
  const folder = join(platform.dataDir, 'intake', CLIENT_FOLDER);
  mkdirSync(folder, { recursive: true });
  for (let file = 1; file <= FILES; file++) {
    const rows = Array.from(
      { length: ROWS_PER_FILE },
      (_, row) =>
        `Аптека ${file};Москва;Товар ${row + 1};${row + 1};${(row + 1) * 100}.50;2025-06-${String((row % 28) + 1).padStart(2, '0')}`,
    );
    writeFileSync(
      join(folder, `sales_${String(file).padStart(4, '0')}.csv`),
      ['Аптека;Город;Товар;Количество;Сумма;Дата', ...rows].join('\n'),
    );
  }
}

async function waitJob(id: string, done: (job: Job) => boolean, what: string, timeoutMs = 300_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  let last: Job | undefined;
  while (Date.now() < deadline) {
    last = await jobs.get(id).catch(() => last);
    if (last && done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what}: not reached after ${timeoutMs} ms; job ${JSON.stringify(last)}\n${platformLogs(platform)}`);
}
const isFinal = (job: Job) => ['succeeded', 'partial', 'failed', 'cancelled'].includes(job.status);

async function requestScan(): Promise<string> {
  const jobId = randomUUID();
  await publishEvent(
    nats,
    'registry.scan.requested',
    { jobId, requestedBy: 'drill', requestedAt: new Date().toISOString() },
    { msgId: jobId },
  );
  return jobId;
}

async function requestRun(): Promise<string> {
  const jobId = randomUUID();
  await publishEvent(
    nats,
    'orchestrator.run.requested',
    { jobId, requestedAt: new Date().toISOString() },
    { msgId: jobId },
  );
  return jobId;
}

/** Stops PostgreSQL for the outage, then starts it again; answers when it is back. */
async function postgresOutage(drill: string, started: number, context: string) {
  const postgres = platform.postgres;
  if (!postgres) throw new Error('the drill platform runs its own PostgreSQL');
  await postgres.stop();
  const stopped = Date.now();
  const event = report.event({ drill, action: 'PostgreSQL stopped for 10 s', atS: since(started), context });
  await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
  await postgres.start();
  return { event, stopped };
}

async function registryRows() {
  return (
    await db.query<{ file_path: string; status: string; error_reason: string | null }>(
      'SELECT file_path, status, error_reason FROM ops.file_registry ORDER BY file_path',
    )
  ).rows;
}

async function countBy(sql: string): Promise<Record<string, number>> {
  const { rows } = await db.query<{ key: string; n: string }>(sql);
  return Object.fromEntries(rows.map((row) => [row.key, Number(row.n)]));
}

/** The registry and the orchestrator's records are in states the design allows, and agree with the disk. */
async function checkConsistency(): Promise<string[]> {
  const problems: string[] = [];
  const registry = await countBy('SELECT status AS key, count(*) AS n FROM ops.file_registry GROUP BY status');
  for (const status of Object.keys(registry)) {
    if (!REGISTRY_STATUSES.includes(status)) problems.push(`registry status ${status} is not a valid status`);
  }
  const duplicates = await db.query('SELECT file_path FROM ops.file_registry GROUP BY file_path HAVING count(*) > 1');
  if (duplicates.rowCount) problems.push(`${duplicates.rowCount} file(s) registered twice`);
  const loads = await db.query<{ file_path: string; rows: number; loaded: string; status: string }>(
    `SELECT f.file_path, l.rows, (SELECT count(*) FROM raw.primary_data d WHERE d.source_file = l.source_file) AS loaded, f.status
       FROM raw.primary_data_loads l JOIN ops.file_registry f ON f.file_path = l.source_file`,
  );
  for (const load of loads.rows) {
    if (load.status !== 'CREATED') problems.push(`${load.file_path} is loaded but its status is ${load.status}`);
    if (Number(load.loaded) !== load.rows)
      problems.push(`${load.file_path}: ${load.loaded} rows loaded, ${load.rows} recorded`);
  }
  const created = registry.CREATED ?? 0;
  if (loads.rowCount !== created) problems.push(`${created} file(s) CREATED but ${loads.rowCount} load(s) recorded`);
  const orphanRows = await db.query(
    'SELECT count(*) AS n FROM raw.primary_data d WHERE NOT EXISTS (SELECT 1 FROM raw.primary_data_loads l WHERE l.source_file = d.source_file)',
  );
  if (Number(orphanRows.rows[0].n) > 0)
    problems.push(`${orphanRows.rows[0].n} primary data row(s) of no recorded load`);
  const readyDir = join(platform.dataDir, 'orchestrator', 'ready-to-load');
  const ready = readdirSync(readyDir, { recursive: false }).map(String);
  const partial = ready.filter((name) => name.includes('.partial-'));
  if (partial.length) problems.push(`half-moved copies in ready-to-load: ${partial.join(', ')}`);
  const readyFiles = await db.query<{ ready_file: string }>(
    "SELECT ready_file FROM ops.task_runs WHERE status = 'CREATED' AND ready_file IS NOT NULL",
  );
  const present = new Set(ready);
  for (const { ready_file } of readyFiles.rows) {
    const name = ready_file.split('/').pop() as string;
    if (!present.has(name)) problems.push(`ready file ${name} of a CREATED task is not in ready-to-load`);
  }
  const taskRuns = await countBy('SELECT status AS key, count(*) AS n FROM ops.task_runs GROUP BY status');
  for (const status of Object.keys(taskRuns)) {
    if (status !== 'running' && !TASK_RUN_STATUSES.includes(status))
      problems.push(`task run status ${status} is not valid`);
  }
  return problems;
}

beforeAll(async () => {
  platform = await startDrillPlatform({
    services: ['file-registry', 'orchestrator'],
    serviceEnv: {
      'file-registry': { REGISTRY_SCHEDULE_ENABLED: 'false', REGISTRY_STABLE_AFTER_MS: String(STABLE_AFTER_MS) },
      orchestrator: {
        ORCHESTRATOR_SCHEDULE_ENABLED: 'false',
        ORCHESTRATOR_RUN_ON_SCAN: 'false',
        ORCHESTRATOR_CONCURRENCY: '2',
      },
    },
  });
  await waitReady(platform);
  nats = await observe(platform);
  jobs = await JobStore.open(nats);
  db = new pg.Pool({ connectionString: platform.infra.databaseUrl, max: 2 });
  db.on('error', () => {});
});

afterAll(async () => {
  await db?.end();
  await nats?.nc.close();
  await platform?.stop();
  console.log(report.render());
});

describe('failure drills: PostgreSQL', () => {
  it('stopped during a registry scan: the scan ends cleanly, nothing half-registered, a re-scan registers every file once', async () => {
    const drill = 'PostgreSQL down during a registry scan';
    writeIntakeFiles();
    const started = Date.now();
    const jobId = await requestScan();
    await waitJob(jobId, (job) => job.progress.stage === 'checking', 'the scan to wait for young files');
    const { event, stopped } = await postgresOutage(drill, started, 'scan waiting for young files to settle');
    const scan = await waitJob(jobId, isFinal, 'the interrupted scan to end');
    event.context += `; scan ended ${scan.status}${scan.errors[0] ? ` (${scan.errors[0].code}: ${scan.errors[0].message})` : ''}`;
    await waitReady(platform);
    event.recoveryS = since(stopped);
    event.recovery = 'every service ready again';
    expect(platform.services['file-registry'].running, platformLogs(platform)).toBe(true);

    const between = await registryRows();
    expect([0, FILES], 'a scan registers all its files or none').toContain(between.length);
    expect(await checkConsistency()).toEqual([]);

    const again = await waitJob(await requestScan(), isFinal, 'the re-scan');
    expect(again.status, JSON.stringify(again)).toBe('succeeded');
    const rows = await registryRows();
    expect(rows).toHaveLength(FILES);
    expect(new Set(rows.map((row) => row.status))).toEqual(new Set(['NEW']));
    const problems = await checkConsistency();
    report.outcome({
      drill,
      durationS: since(started),
      outcome: `interrupted scan ${scan.status} with ${between.length} file(s) registered; re-scan ${again.status}, ${rows.length} file(s) NEW`,
      finalDiff: problems.length ? problems.join('; ') : 'none',
    });
    expect(problems).toEqual([]);
  });

  it('stopped during an orchestrator run: no status corrupted, nothing stuck running, a re-run converts and loads every file', async () => {
    const drill = 'PostgreSQL down during an orchestrator run';
    const started = Date.now();
    const jobId = await requestRun();
    const running = await waitJob(jobId, (job) => job.progress.done >= 15 || isFinal(job), '15 tasks done');
    expect(running.status, 'the run must still be going when PostgreSQL stops').toBe('running');
    const { event, stopped } = await postgresOutage(
      drill,
      started,
      `${running.progress.done}/${running.progress.total} tasks done`,
    );
    const run = await waitJob(jobId, isFinal, 'the interrupted run to end');
    event.context += `; run ended ${run.status} at ${run.progress.done}/${run.progress.total}`;
    await waitReady(platform);
    event.recoveryS = since(stopped);
    event.recovery = 'every service ready again';
    expect(platform.services.orchestrator.running, platformLogs(platform)).toBe(true);
    expect(await checkConsistency()).toEqual([]);

    const rerun = await waitJob(await requestRun(), isFinal, 'the re-run');
    expect(rerun.status, JSON.stringify(rerun)).toBe('succeeded');
    const statuses = await countBy(
      "SELECT status || coalesce(' ' || error_reason, '') AS key, count(*) AS n FROM ops.file_registry GROUP BY 1",
    );
    expect(statuses).toEqual({ CREATED: FILES });
    const loaded = await db.query('SELECT count(*) AS n FROM raw.primary_data');
    expect(Number(loaded.rows[0].n)).toBe(FILES * ROWS_PER_FILE);
    const stuck = await db.query(
      "SELECT (SELECT count(*) FROM ops.task_runs WHERE status = 'running') AS tasks, (SELECT count(*) FROM ops.orchestrator_runs WHERE status = 'running') AS runs",
    );
    expect(stuck.rows[0], 'task runs or runs left running after every run ended').toEqual({ tasks: '0', runs: '0' });
    const problems = await checkConsistency();
    report.outcome({
      drill,
      durationS: since(started),
      outcome: `interrupted run ${run.status} (${run.progress.done}/${run.progress.total}); re-run ${rerun.status}, ${FILES} file(s) CREATED, ${FILES * ROWS_PER_FILE} rows loaded`,
      finalDiff: problems.length ? problems.join('; ') : 'none',
    });
    expect(problems).toEqual([]);
  });
});
