import { captureLogs, createTestDatabase, createTestNats, type TestDatabase, type TestNats } from '@pharma/testkit';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createRegistryDb } from '../../src/db/client.js';
import { planTree } from '../../src/domain/tree-spec.js';
import { runScan } from '../../src/services/scan.service.js';
import { generateTree } from '../../src/services/tree.service.js';
import { createTempRoot, putFile, registryEnv, startRegistry } from '../helpers.js';

const SPEC = {
  years: [2024, 2025],
  months: [1, 12],
  providers: [
    { folder: 'Сети', clients: ['Аптека 36,6', 'Ригла', 'Нео-Фарм'], reportTypes: ['Продажи', 'Остатки'] },
    { folder: 'Дистрибьюторы', clients: ['Агроресурсы', 'Протек'], reportTypes: ['Продажи', 'Закупки', 'Остатки'] },
  ],
};

describe('a generated tree, one file per folder', () => {
  let db: TestDatabase;
  let nats: TestNats;
  let temp: Awaited<ReturnType<typeof createTempRoot>>;
  let app: FastifyInstance;

  beforeAll(async () => {
    [db, nats, temp] = await Promise.all([createTestDatabase(), createTestNats(), createTempRoot()]);
    app = await startRegistry(registryEnv(db, nats, temp.root));
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all([db?.drop(), nats?.cleanup(), temp?.remove()]);
  });

  it('registers every file with the provider, period, client and report type of its folder', async () => {
    const config = loadConfig(registryEnv(db, nats, temp.root));
    const providers = config.scanner.providerFolders;
    const made = await generateTree({ root: temp.root, providers, spec: SPEC, db: createRegistryDb(app.pg) });
    const plan = planTree(SPEC, providers);
    expect(made).toMatchObject({ folders: 2 * 2 * (3 * 2 + 2 * 3), created: plan.folders.length });
    expect(made.expectedSeeded).toBe(plan.folders.length);

    const expectedRows = plan.folders.map((folder, index) => ({
      file_path: `${folder}/report-${index}.${['csv', 'xls', 'xlsx'][index % 3]}`,
      data_provider: plan.expected[index]!.dataProvider,
      report_year: plan.expected[index]!.reportYear,
      report_month: plan.expected[index]!.reportMonth,
      client_name: plan.expected[index]!.clientName,
      report_type: plan.expected[index]!.reportType,
      status: 'NEW',
    }));
    await Promise.all(expectedRows.map((row) => putFile(temp.root, row.file_path)));

    const result = await runScan({ pool: app.pg, config: config.scanner, logger: captureLogs().logger });
    expect(result.totals).toEqual({
      seen: plan.folders.length,
      new: plan.folders.length,
      skippedByFilter: 0,
      skippedByStructure: 0,
      unstable: 0,
      deleted: 0,
    });
    const { rows } = await app.pg.query(
      `SELECT file_path, data_provider, report_year, report_month, client_name, report_type, status
       FROM ops.file_registry`,
    );
    const byPath = (a: { file_path: string }, b: { file_path: string }) => (a.file_path < b.file_path ? -1 : 1);
    expect(rows.sort(byPath)).toEqual(expectedRows.sort(byPath));
  });
});
