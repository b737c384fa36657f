import { execFileSync } from 'node:child_process';
import { copyFile, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOrchestratorRunRpc } from '@pharma/shared/contracts';
import type { pg } from '@pharma/shared/db';
import { JobStore, requestRpc } from '@pharma/shared/messaging';
import {
  captureLogs,
  createTestDatabase,
  createTestNats,
  eventually,
  type TestDatabase,
  type TestNats,
} from '@pharma/testkit';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import {
  createFolders,
  type Folders,
  HEADER_LINE,
  migrateAll,
  orchestratorEnv,
  putScript,
  registerFile,
} from '../helpers.js';

const FIXTURES = fileURLToPath(new URL('../fixtures', import.meta.url));

/**
 * The original scripts read .xls files with xlrd (Debian: python3-xlrd). The first interpreter that has it: the
 * one on the PATH, else the system's (a version manager's python3 on the PATH may not see Debian's packages).
 */
function pythonWithXlrd(): string {
  for (const python of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(python, ['-c', 'import xlrd'], { stdio: 'ignore' });
      return python;
    } catch {}
  }
  throw new Error('no python3 that can import xlrd: install python3-xlrd (Debian) or xlrd');
}

describe('a legacy client script runs unchanged (real Postgres and NATS)', () => {
  let db: TestDatabase;
  let nats: TestNats;
  let folders: Folders;
  let pool: pg.Pool;
  let app: FastifyInstance;
  let jobs: JobStore;

  beforeAll(async () => {
    [db, nats, folders] = await Promise.all([createTestDatabase(), createTestNats(), createFolders()]);
    pool = await migrateAll(db.url);
    const env = orchestratorEnv(db.url, folders, {
      NATS_URL: nats.url,
      NATS_PREFIX: nats.prefix,
      ORCHESTRATOR_PYTHON: pythonWithXlrd(),
    });
    app = await buildApp(loadConfig(env), captureLogs('orchestrator').logger);
    jobs = await JobStore.open(nats.ctx);
  });

  afterAll(async () => {
    await app?.close();
    await pool?.end();
    await Promise.all([db?.drop(), nats?.cleanup(), folders?.remove()]);
  });

  it('<provider>/<Client>/<Client>_processing.py reads Reestr/new_files_registry.csv and an .xls, and its output loads', async () => {
    const legacy = await readFile(join(FIXTURES, 'legacy', 'Ригла_processing.py'), 'utf8');
    const script = await putScript(folders, 'Сеть', 'Ригла', 'Ригла_processing.py', legacy);
    // A file beside it, as the original folders had: the script is found by its name, not as the folder's only file.
    await writeFile(join(script, '..', 'columns.txt'), `${HEADER_LINE}\n`);

    const fileId = await registerFile(pool, folders, { client: 'Ригла', name: 'june.xls', content: '' });
    const source = join(folders.intake, 'Сети/2025/06/Ригла/Продажи/june.xls');
    await copyFile(join(FIXTURES, 'legacy-report.xls'), source);
    const doneId = await registerFile(pool, folders, { client: 'Ригла', name: 'may.csv' });
    await pool.query(`UPDATE ops.file_registry SET status = 'CREATED' WHERE id = $1`, [doneId]);

    const { jobId } = await requestRpc(nats.ctx, startOrchestratorRunRpc, { requestedBy: 'ops@example.com' });
    const job = await eventually(
      async () => {
        const current = await jobs.get(jobId);
        expect(['succeeded', 'failed']).toContain(current?.status);
        return current;
      },
      { timeoutMs: 30_000 },
    );
    const attempt = await pool.query(
      'SELECT status, reason, script, stderr_tail FROM ops.task_runs WHERE file_id = $1',
      [fileId],
    );
    expect(attempt.rows).toEqual([expect.objectContaining({ status: 'CREATED', reason: null, script })]);
    expect(job?.status).toBe('succeeded');

    const rows = await pool.query(
      `SELECT client_name, client_city, tms, amount_type_1::text AS qty, sum_no_nds::text AS sum, period::text AS period,
              filename_ish, report_provider_name, "Report_Provaider"
         FROM raw.primary_data ORDER BY client_name`,
    );
    const common = {
      filename_ish: 'Сети/2025/06/Ригла/Продажи/june.xls',
      report_provider_name: 'Ригла',
      Report_Provaider: 'Сеть',
    };
    expect(rows.rows).toEqual([
      {
        client_name: 'Аптека №1',
        client_city: 'Москва',
        tms: 'Нурофен 200 мг №10',
        qty: '3',
        sum: '450.5',
        period: '2025-06-20',
        ...common,
      },
      {
        client_name: 'Аптека №2',
        client_city: 'Тверь',
        tms: 'Арбидол 100 мг №20',
        qty: '12',
        sum: '7200',
        period: '2025-06-21',
        ...common,
      },
    ]);

    // The run's list: read-only, beside the provider folders, the files the run took (not the CREATED one).
    const registry = join(folders.scripts, 'Reestr', 'new_files_registry.csv');
    expect((await stat(registry)).mode & 0o777).toBe(0o444);
    const lines = (await readFile(registry, 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe(
      'id,file_path,uploaded_at,status,data_provider,report_year,report_month,client_name,report_type,created_at,error_reason',
    );
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${fileId},Сети/2025/06/Ригла/Продажи/june\\.xls,\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,NEW,Сеть,2025,6,Ригла,Продажи,\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,$`,
        ),
      ),
    ]);
  });

  it('the next run replaces the list (still read-only) with the files it takes', async () => {
    const againId = await registerFile(pool, folders, { client: 'Ригла', name: 'july.xls', content: '' });
    await copyFile(join(FIXTURES, 'legacy-report.xls'), join(folders.intake, 'Сети/2025/06/Ригла/Продажи/july.xls'));
    const { jobId } = await requestRpc(nats.ctx, startOrchestratorRunRpc, {});
    await eventually(async () => expect((await jobs.get(jobId))?.status).toBe('succeeded'), { timeoutMs: 30_000 });
    const registry = join(folders.scripts, 'Reestr', 'new_files_registry.csv');
    expect((await stat(registry)).mode & 0o777).toBe(0o444);
    const ids = (await readFile(registry, 'utf8'))
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[0]);
    expect(ids).toEqual([String(againId)]);
  });
});
