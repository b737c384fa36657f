import { appendFile, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  captureLogs,
  collectEvents,
  createTestDatabase,
  createTestNats,
  eventually,
  type TestDatabase,
  type TestNats,
} from '@pharma/testkit';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { insertNewFiles } from '../../src/repositories/scan.repository.js';
import { natsScanEvents } from '../../src/services/registry-events.js';
import { runScan, type ScanDeps } from '../../src/services/scan.service.js';
import { createTempRoot, putFile, registryEnv, startRegistry } from '../helpers.js';

const NFD_CLIENT = 'Йошкар-Ола'.normalize('NFD');

describe('scanner on a generated tree (real Postgres and NATS)', () => {
  let db: TestDatabase;
  let nats: TestNats;
  let temp: Awaited<ReturnType<typeof createTempRoot>>;
  let outside: Awaited<ReturnType<typeof createTempRoot>>;
  let app: FastifyInstance;
  let deps: ScanDeps;
  let registered: Awaited<ReturnType<typeof collectEvents<'registry.file.registered'>>>;
  let completed: Awaited<ReturnType<typeof collectEvents<'registry.scan.completed'>>>;

  const rows = async () =>
    (
      await app.pg.query(
        `SELECT id, file_path, uploaded_at, status, data_provider, report_year, report_month, client_name, report_type,
                created_at, error_reason FROM ops.file_registry ORDER BY file_path`,
      )
    ).rows;
  const scan = (overrides: Partial<ScanDeps['config']> = {}, request = {}) =>
    runScan({ ...deps, config: { ...deps.config, ...overrides } }, request);

  beforeAll(async () => {
    [db, nats, temp, outside] = await Promise.all([
      createTestDatabase(),
      createTestNats(),
      createTempRoot(),
      createTempRoot(),
    ]);
    const env = registryEnv(db, nats, temp.root);
    app = await startRegistry(env);
    deps = {
      pool: app.pg,
      config: loadConfig(env).scanner,
      logger: captureLogs().logger,
      events: natsScanEvents(nats.ctx, 16),
    };
    registered = await collectEvents(nats.ctx, 'registry.file.registered');
    completed = await collectEvents(nats.ctx, 'registry.scan.completed');
  });

  afterAll(async () => {
    await registered?.stop();
    await completed?.stop();
    await app?.close();
    await Promise.all([db?.drop(), nats?.cleanup(), temp?.remove(), outside?.remove()]);
  });

  it('registers every file with its fields, skips temporary and foreign files, reports malformed paths', async () => {
    const june = new Date('2025-06-30T08:15:00Z');
    await putFile(temp.root, 'Сети/2025/06/Аптека 36,6/Продажи/june.xlsx', { mtime: june });
    await putFile(temp.root, 'Дистрибьюторы/2025/05/Агроресурсы/Остатки/stock.csv');
    await putFile(temp.root, `Сети/2025/06/${NFD_CLIENT}/Продажи/a.xls`);
    await putFile(temp.root, 'Сети/2025/06/Аптека 36,6/Продажи/~$june.xlsx');
    await putFile(temp.root, 'Сети/2025/06/Аптека 36,6/Продажи/download.tmp');
    await putFile(temp.root, 'Сети/2025/06/Аптека 36,6/Продажи/notes.pdf');
    await putFile(temp.root, 'Прочее/2025/06/X/Продажи/a.xlsx');
    await putFile(temp.root, 'Сети/2025/13/X/Продажи/b.xlsx');
    await putFile(temp.root, 'Сети/20x5/06/X/Продажи/c.csv');
    await putFile(temp.root, 'Сети/2025/06/X/d.xlsx');

    const result = await scan();

    expect(result.status).toBe('succeeded');
    expect(result.totals).toEqual({
      seen: 10,
      new: 3,
      skippedByFilter: 3,
      skippedByStructure: 4,
      unstable: 0,
      deleted: 0,
    });
    expect(result.skippedByStructure.map(({ path, reason }) => [path, reason]).sort()).toEqual([
      ['Прочее/2025/06/X/Продажи/a.xlsx', 'UNKNOWN_PROVIDER_FOLDER'],
      ['Сети/2025/06/X/d.xlsx', 'WRONG_DEPTH'],
      ['Сети/2025/13/X/Продажи/b.xlsx', 'BAD_MONTH'],
      ['Сети/20x5/06/X/Продажи/c.csv', 'BAD_YEAR'],
    ]);
    for (const skipped of result.skippedByStructure) expect(skipped.message).not.toBe('');

    const stored = await rows();
    expect(stored).toHaveLength(3);
    const byPath = Object.fromEntries(stored.map((row) => [row.file_path, row]));
    expect(byPath['Сети/2025/06/Аптека 36,6/Продажи/june.xlsx']).toMatchObject({
      status: 'NEW',
      data_provider: 'Сеть',
      report_year: 2025,
      report_month: 6,
      client_name: 'Аптека 36,6',
      report_type: 'Продажи',
      error_reason: null,
      uploaded_at: june,
    });
    expect(byPath['Дистрибьюторы/2025/05/Агроресурсы/Остатки/stock.csv']).toMatchObject({
      data_provider: 'Дистрибьютор',
      report_year: 2025,
      report_month: 5,
      client_name: 'Агроресурсы',
      report_type: 'Остатки',
    });
    // The path stays as on disk (so the file can be opened); the parsed client name is NFC.
    expect(byPath[`Сети/2025/06/${NFD_CLIENT}/Продажи/a.xls`]).toMatchObject({
      client_name: 'Йошкар-Ола'.normalize('NFC'),
    });

    await eventually(() => expect(registered.received).toHaveLength(3));
    expect(registered.received.map((e) => e.id).sort()).toEqual(stored.map((row) => row.id).sort());
    const juneEvent = registered.received.find((e) => e.filePath.endsWith('june.xlsx'));
    expect(juneEvent).toMatchObject({ dataProvider: 'Сеть', reportYear: 2025, reportMonth: 6, reportType: 'Продажи' });
    await eventually(() => expect(completed.received.map((e) => e.scanId)).toContain(result.scanId));
    expect(completed.received.find((e) => e.scanId === result.scanId)).toMatchObject({
      status: 'succeeded',
      totals: result.totals,
    });
  });

  it('adds nothing on a rescan of an unchanged tree', async () => {
    const before = await rows();
    const result = await scan();
    expect(result.totals).toMatchObject({ seen: 10, new: 0, deleted: 0, unstable: 0 });
    expect(await rows()).toEqual(before);
    await eventually(() => expect(completed.received.map((e) => e.scanId)).toContain(result.scanId));
    expect(registered.received).toHaveLength(3);
  });

  it('does not register a file still being written, and registers it once it stops changing', async () => {
    const path = await putFile(temp.root, 'Сети/2025/07/Аптека 36,6/Продажи/growing.csv', { mtime: null as never });
    let writing = true;
    const writer = (async () => {
      while (writing) {
        await appendFile(path, 'row;1\n');
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
    })();
    const during = await scan();
    writing = false;
    await writer;
    expect(during.totals.unstable).toBe(1);
    expect(during.unstablePaths).toEqual(['Сети/2025/07/Аптека 36,6/Продажи/growing.csv']);
    expect(during.totals.new).toBe(0);
    expect((await rows()).map((r) => r.file_path)).not.toContain('Сети/2025/07/Аптека 36,6/Продажи/growing.csv');

    // Finished just now: young, but the same on a second look one window later.
    const after = await scan();
    expect(after.totals).toMatchObject({ new: 1, unstable: 0 });
    expect((await rows()).map((r) => r.file_path)).toContain('Сети/2025/07/Аптека 36,6/Продажи/growing.csv');
  });

  it('leaves young files for the next scan when the in-scan recheck is off', async () => {
    await putFile(temp.root, 'Сети/2025/07/Аптека 36,6/Продажи/fresh.csv', { mtime: null as never });
    const first = await scan({ recheckUnstable: false });
    expect(first.totals).toMatchObject({ new: 0, unstable: 1 });
    await new Promise((resolve) => setTimeout(resolve, 450));
    const second = await scan({ recheckUnstable: false });
    expect(second.totals).toMatchObject({ new: 1, unstable: 0 });
  });

  it('marks a file deleted from disk as DELETE, unless turned off', async () => {
    await rm(join(temp.root, 'Сети/2025/06/Аптека 36,6/Продажи/june.xlsx'));
    const result = await scan();
    expect(result.totals.deleted).toBe(1);
    const status = async (path: string) => (await rows()).find((r) => r.file_path === path)?.status;
    expect(await status('Сети/2025/06/Аптека 36,6/Продажи/june.xlsx')).toBe('DELETE');
    expect((await scan()).totals.deleted).toBe(0);

    const idBefore = (await rows()).find((r) => r.file_path === 'Сети/2025/06/Аптека 36,6/Продажи/june.xlsx')?.id;
    await putFile(temp.root, 'Сети/2025/06/Аптека 36,6/Продажи/june.xlsx');
    const back = await scan();
    expect(back.totals).toMatchObject({ new: 1, deleted: 0 });
    const revived = (await rows()).find((r) => r.file_path === 'Сети/2025/06/Аптека 36,6/Продажи/june.xlsx');
    expect(revived).toMatchObject({ id: idBefore, status: 'NEW' });
    await eventually(() => expect(registered.received.filter((e) => e.id === idBefore)).toHaveLength(2));
    await rm(join(temp.root, 'Сети/2025/06/Аптека 36,6/Продажи/june.xlsx'));
    expect((await scan()).totals.deleted).toBe(1);

    await rm(join(temp.root, 'Дистрибьюторы/2025/05/Агроресурсы/Остатки/stock.csv'));
    const kept = await scan({ markDeleted: false });
    expect(kept.totals.deleted).toBe(0);
    expect(await status('Дистрибьюторы/2025/05/Агроресурсы/Остатки/stock.csv')).toBe('NEW');
  });

  it('refuses symbolic links that escape the root and never follows links', async () => {
    const secret = join(outside.root, 'secret.xlsx');
    await writeFile(secret, 'x');
    await mkdir(join(outside.root, 'Продажи'), { recursive: true });
    await putFile(outside.root, 'Продажи/elsewhere.xlsx');
    await mkdir(join(temp.root, 'Сети/2025/08/Link'), { recursive: true });
    await symlink(secret, join(temp.root, 'Сети/2025/08/Link/escape.xlsx'));
    await symlink(join(outside.root, 'Продажи'), join(temp.root, 'Сети/2025/08/Link/Продажи'));
    await putFile(temp.root, 'Сети/2025/08/Inside/Продажи/real.xlsx');
    await symlink(
      join(temp.root, 'Сети/2025/08/Inside/Продажи/real.xlsx'),
      join(temp.root, 'Сети/2025/08/Inside/Продажи/alias.xlsx'),
    );

    const result = await scan();
    const reasons = Object.fromEntries(result.skippedByStructure.map((s) => [s.path, s.reason]));
    expect(reasons['Сети/2025/08/Link/escape.xlsx']).toBe('OUTSIDE_ROOT');
    expect(reasons['Сети/2025/08/Link/Продажи']).toBe('OUTSIDE_ROOT');
    expect(reasons['Сети/2025/08/Inside/Продажи/alias.xlsx']).toBe('SYMLINK');
    const paths = (await rows()).map((r) => r.file_path);
    expect(paths).toContain('Сети/2025/08/Inside/Продажи/real.xlsx');
    expect(paths.filter((p) => p.includes('/Link/') || p.endsWith('alias.xlsx'))).toEqual([]);
  });

  it('runs one scan of a root at a time: a concurrent one reports locked', async () => {
    // A young file makes the first scan wait for its second look while holding the lock.
    await putFile(temp.root, 'Сети/2025/09/Аптека 36,6/Продажи/young.csv', { mtime: null as never });
    let second: ReturnType<typeof scan> | undefined;
    const first = await scan(
      {},
      {
        onStage: (stage: string) => {
          if (stage === 'checking') second = scan();
        },
      },
    );
    expect(second).toBeDefined();
    const other = await second!;
    expect(first.status).toBe('succeeded');
    expect(first.totals.new).toBe(1);
    expect(other.status).toBe('locked');
    expect(other.totals.new).toBe(0);
    await eventually(() =>
      expect(completed.received.find((e) => e.scanId === other.scanId)).toMatchObject({ status: 'locked' }),
    );
    // The lock is released afterwards.
    expect((await scan()).status).toBe('succeeded');
  });

  it('does not mark registered files deleted when the root is empty (an unmounted share)', async () => {
    const empty = await createTempRoot();
    try {
      const result = await scan({ root: empty.root });
      expect(result.status).toBe('succeeded');
      expect(result.totals.deleted).toBe(0);
      expect(result.warnings.join()).toMatch(/root is empty/);
    } finally {
      await empty.remove();
    }
  });

  it('fails cleanly when the root does not exist', async () => {
    const result = await scan({ root: join(temp.root, 'missing') });
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/does not exist/);
  });

  it('registers only the paths nobody registered meanwhile (conflict fallback), escaping odd names', async () => {
    const existing = (await rows())[0]!.file_path as string;
    const row = (filePath: string) => ({
      filePath,
      mtimeMs: Date.UTC(2025, 9, 1),
      dataProvider: 'Сеть',
      reportYear: 2025,
      reportMonth: 10,
      clientName: 'Back\\slash',
      reportType: 'Tab\there',
    });
    const client = await app.pg.connect();
    try {
      await client.query('BEGIN');
      const inserted = await insertNewFiles(client, [
        row('Сети/2025/10/X/Y/new.csv'),
        row(existing),
        row('Сети/2025/10/X/Y/b.csv'),
      ]);
      await client.query('COMMIT');
      expect(inserted.map((r) => r.index)).toEqual([0, 2]);
    } finally {
      client.release();
    }
    const stored = (await rows()).find((r) => r.file_path === 'Сети/2025/10/X/Y/new.csv');
    expect(stored).toMatchObject({ client_name: 'Back\\slash', report_type: 'Tab\there', status: 'NEW' });
    expect(stored?.uploaded_at).toEqual(new Date(Date.UTC(2025, 9, 1)));
  });
});
