import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import {
  fileTaskRunsRpc,
  getOrchestratorRunRpc,
  listOrchestratorRunsRpc,
  startOrchestratorRunRpc,
} from '@pharma/shared/contracts';
import type { pg } from '@pharma/shared/db';
import { JobStore, publishEvent, requestRpc } from '@pharma/shared/messaging';
import {
  captureLogs,
  collectEvents,
  createTestDatabase,
  createTestNats,
  type EventCollector,
  eventually,
  type TestDatabase,
  type TestNats,
  uniqueName,
} from '@pharma/testkit';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { TARGET_COLUMNS } from '../../src/domain/target-columns.js';
import { createFolders, type Folders, migrateAll, orchestratorEnv, registerFile, SERVICE_DIR } from '../helpers.js';

/** The real Агроресурсы report: required, so that a machine without the samples fails instead of testing less. */
function sampleFile(): string {
  const dir = process.env.SAMPLES_DIR;
  const hint =
    'set SAMPLES_DIR to the folder of the real sample files (the one holding distributors/agroresursy_2025-06.xlsx)';
  if (!dir) throw new Error(`SAMPLES_DIR is not set: ${hint}`);
  const file = join(dir, 'distributors', 'agroresursy_2025-06.xlsx');
  if (!existsSync(file)) throw new Error(`no sample at ${file}: ${hint}`);
  return file;
}

describe('the orchestrator service over NATS, with the shipped client scripts (real Postgres and NATS)', () => {
  let db: TestDatabase;
  let nats: TestNats;
  let folders: Folders;
  let pool: pg.Pool;
  let app: FastifyInstance;
  let tasks: EventCollector<'orchestrator.task.updated'>;
  let runs: EventCollector<'orchestrator.run.completed'>;
  let jobs: JobStore;

  beforeAll(async () => {
    [db, nats, folders] = await Promise.all([createTestDatabase(), createTestNats(), createFolders()]);
    pool = await migrateAll(db.url);
    const env = orchestratorEnv(db.url, folders, {
      NATS_URL: nats.url,
      NATS_PREFIX: nats.prefix,
      ORCHESTRATOR_SCRIPTS_DIR: join(SERVICE_DIR, 'scripts'),
      ORCHESTRATOR_TASK_TIMEOUT_MS: '60000',
    });
    app = await buildApp(loadConfig(env), captureLogs('orchestrator').logger);
    // One at a time: the tests read the events in the order they were published.
    tasks = await collectEvents(nats.ctx, 'orchestrator.task.updated', { concurrency: 1 });
    runs = await collectEvents(nats.ctx, 'orchestrator.run.completed', { concurrency: 1 });
    jobs = await JobStore.open(nats.ctx);
  });

  afterAll(async () => {
    await tasks?.stop();
    await runs?.stop();
    await app?.close();
    await pool?.end();
    await Promise.all([db?.drop(), nats?.cleanup(), folders?.remove()]);
  });

  it('starts a run by RPC as a job; the demo chain script converts and loads; events and run details follow', async () => {
    const fileId = await registerFile(pool, folders, {
      client: 'Аптека 36.6',
      content:
        'Аптека;Город;Товар;Количество;Сумма;Дата\nАптека №1;Москва;Аспирин;4;400.50;2025-06-03\nАптека №2;Тверь;Нурофен;2;300;2025-06-04\n',
    });
    const missingId = await registerFile(pool, folders, { client: 'Незнакомый клиент' });
    const { jobId } = await requestRpc(nats.ctx, startOrchestratorRunRpc, { requestedBy: 'ops@example.com' });
    const job = await eventually(
      async () => {
        const current = await jobs.get(jobId);
        expect(current?.status).toBe('succeeded');
        return current;
      },
      { timeoutMs: 30_000 },
    );
    expect(job?.owner).toBe('ops@example.com');
    expect(job?.errors).toEqual([
      expect.objectContaining({ code: 'NO_SCRIPT_FOUND', item: expect.stringContaining('Незнакомый клиент') }),
    ]);
    const rows = await pool.query(
      `SELECT d.client_name, client_city, tms, amount_type_1::text AS qty, sum_no_nds::text AS sum, period::text AS period,
              "Report_Provaider", report_provider_name
         FROM raw.primary_data d ORDER BY d.client_name`,
    );
    expect(rows.rows).toEqual([
      {
        client_name: 'Аптека №1',
        client_city: 'Москва',
        tms: 'Аспирин',
        qty: '4',
        sum: '400.50',
        period: '2025-06-03',
        Report_Provaider: 'Сеть',
        report_provider_name: 'Аптека 36.6',
      },
      {
        client_name: 'Аптека №2',
        client_city: 'Тверь',
        tms: 'Нурофен',
        qty: '2',
        sum: '300',
        period: '2025-06-04',
        Report_Provaider: 'Сеть',
        report_provider_name: 'Аптека 36.6',
      },
    ]);
    await eventually(() => expect(runs.received.map((run) => run.runId)).toContain(jobId));
    expect(runs.received.find((run) => run.runId === jobId)?.counts).toMatchObject({
      CREATED: 1,
      PROCESSING: 1,
      NO_SCRIPT_FOUND: 1,
    });
    await eventually(() =>
      expect(
        tasks.received
          .filter((task) => task.runId === jobId)
          .map((task) => [task.taskId, task.status])
          .sort(),
      ).toEqual(
        [
          [fileId, 'CREATED'],
          [missingId, 'PROCESSING'],
        ].sort(),
      ),
    );

    const details = await requestRpc(nats.ctx, getOrchestratorRunRpc, { runId: jobId });
    expect(details.run).toMatchObject({ id: jobId, status: 'succeeded', trigger: 'request' });
    expect(details.tasks.map((task) => task.fileId).sort()).toEqual([fileId, missingId].sort());
    const listed = await requestRpc(nats.ctx, listOrchestratorRunsRpc, {});
    expect(listed.items.map((run) => run.id)).toContain(jobId);
    const attempts = await requestRpc(nats.ctx, fileTaskRunsRpc, { fileId });
    expect(attempts.items).toEqual([
      expect.objectContaining({ attempt: 1, status: 'CREATED', rowsLoaded: 2, reason: null }),
    ]);
    await expect(requestRpc(nats.ctx, getOrchestratorRunRpc, { runId: 'nope' })).rejects.toMatchObject({
      statusCode: 404,
    });
  });

  it('a finished registry scan starts a run (once per scan, even if the event is published twice)', async () => {
    const fileId = await registerFile(pool, folders, {
      client: 'Ригла',
      name: 'scan.csv',
      content: 'Аптека,Количество\nРигла 1,7\n',
    });
    const payload = {
      scanId: 'scan-1',
      status: 'succeeded' as const,
      totals: { seen: 1, new: 1, skippedByFilter: 0, skippedByStructure: 0, unstable: 0, deleted: 0 },
      startedAt: new Date().toISOString(),
      completedAt: new Date().toISOString(),
    };
    await publishEvent(nats.ctx, 'registry.scan.completed', payload, { msgId: 'scan-1' });
    await publishEvent(nats.ctx, 'registry.scan.completed', payload, { msgId: 'scan-1-again' });
    await eventually(
      async () => {
        const row = await pool.query('SELECT status FROM ops.file_registry WHERE id = $1', [fileId]);
        expect(row.rows[0].status).toBe('CREATED');
      },
      { timeoutMs: 30_000 },
    );
    await eventually(async () => expect((await jobs.get('orchestrator-after-scan-1'))?.status).toBe('succeeded'));
    const runsOfScan = await pool.query(`SELECT count(*)::int AS n FROM ops.orchestrator_runs WHERE trigger = 'scan'`);
    expect(runsOfScan.rows[0].n).toBe(1);
  });

  describe('the real Агроресурсы sample', () => {
    let registry: ChildProcess | undefined;

    afterAll(async () => {
      if (registry && registry.exitCode === null) {
        const exited = new Promise((resolve) => registry?.on('exit', resolve));
        registry.kill('SIGTERM');
        await exited;
      }
    });

    it('dropped in the tree → registered by the registry service → converted → moved → loaded, every column mapped', async () => {
      const sample = sampleFile();
      await pool.query('TRUNCATE ops.file_registry, raw.primary_data, raw.primary_data_loads');
      const relative = 'Дистрибьюторы/2025/06/Агроресурсы/Продажи/agroresursy_2025-06.xlsx';
      const dropped = join(folders.intake, relative);
      await mkdir(join(dropped, '..'), { recursive: true });
      await copyFile(sample, dropped);
      const hourAgo = new Date(Date.now() - 3_600_000);
      await utimes(dropped, hourAgo, hourAgo);
      const expected = await nonZeroRows(sample);

      // The registry service itself (its built entry point) scans the tree and announces the scan.
      registry = spawn(process.execPath, [join(SERVICE_DIR, '../file-registry/dist/main.js')], {
        env: {
          ...process.env,
          DATABASE_URL: db.url,
          NATS_URL: nats.url,
          NATS_PREFIX: nats.prefix,
          REGISTRY_ROOT: folders.intake,
          REGISTRY_SCHEDULE_ENABLED: 'false',
          REGISTRY_STABLE_AFTER_MS: '400',
          FILE_REGISTRY_PORT: '0',
          LOG_LEVEL: 'warn',
        },
        stdio: 'ignore',
      });
      const scanJob = `scan-${uniqueName()}`;
      await eventually(
        async () => {
          expect(registry?.exitCode).toBeNull();
          await publishEvent(
            nats.ctx,
            'registry.scan.requested',
            { jobId: scanJob, requestedAt: new Date().toISOString() },
            { msgId: scanJob },
          );
          expect((await jobs.get(scanJob))?.status).toBe('succeeded');
        },
        { timeoutMs: 30_000, intervalMs: 300 },
      );
      const file = await eventually(
        async () => {
          const row = await pool.query('SELECT id, status, error_reason FROM ops.file_registry WHERE file_path = $1', [
            relative,
          ]);
          expect(row.rows[0]?.status).toBe('CREATED');
          return row.rows[0];
        },
        { timeoutMs: 60_000, intervalMs: 200 },
      );
      const loaded = await pool.query('SELECT count(*)::int AS n FROM raw.primary_data WHERE source_file = $1', [
        relative,
      ]);
      expect(loaded.rows[0].n).toBe(expected.count);
      const first = await pool.query(
        `SELECT * FROM raw.primary_data WHERE source_file = $1 AND naklad = '3337432' AND tms_id_ish = '48791'`,
        [relative],
      );
      expect(first.rows[0]).toMatchObject({
        client_inn: '2310031475',
        client_inlaw: 'АО "Тандер" (КДР)  Адамович, ш. Анапское, дом 109Б',
        client_name: 'АО "Тандер" (КДР)  Адамович, ш. Анапское, дом 109Б',
        client_region: 'Краснодарский край',
        client_city: 'Курганинск г',
        client_adress: 'ул. Р. Люксенбург, д. 263',
        tms: 'Скю1',
        amount_type_1: '1',
        amount_type_4: '0',
        supplier_filial: 'Краснодар',
        client_id_ish: '526275',
        naklad: '3337432',
        tms_id_ish: '48791',
        filename_ish: 'agroresursy_2025-06.xlsx',
        report_provider_name: 'Агроресурсы',
        Report_Provaider: 'Дистрибьютор',
      });
      expect((first.rows[0].period as Date).getDate()).toBe(20);
      const nulls = await pool.query(
        `SELECT count(*) FILTER (WHERE period IS NULL)::int AS no_period,
                count(*) FILTER (WHERE client_id_ish ~ '[.]0+$')::int AS dotted_codes,
                sum(amount_type_1)::text AS total
           FROM raw.primary_data WHERE source_file = $1`,
        [relative],
      );
      expect(nulls.rows[0]).toEqual({ no_period: 0, dotted_codes: 0, total: String(expected.total) });
      const attempts = await requestRpc(nats.ctx, fileTaskRunsRpc, { fileId: file.id });
      expect(attempts.items.at(-1)).toMatchObject({ status: 'CREATED', rowsLoaded: expected.count });
      expect(TARGET_COLUMNS.length).toBe(27);
    });
  });
});

/** Counts the sample's data rows (below the header on row 4) with a quantity other than zero, independently. */
async function nonZeroRows(file: string): Promise<{ count: number; total: number }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.worksheets[0] as ExcelJS.Worksheet;
  const header = (sheet.getRow(4).values as unknown[]).map((value) => String(value ?? ''));
  const column = header.indexOf('количество');
  let count = 0;
  let total = 0;
  sheet.eachRow((row, number) => {
    if (number <= 4) return;
    const quantity = Number(String(row.getCell(column).value ?? '').replace(',', '.'));
    if (Number.isFinite(quantity) && quantity !== 0) {
      count++;
      total += quantity;
    }
  });
  return { count, total };
}
