import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanFinalReports, cleanPartialCopies } from './final-reports-cleaner.js';

describe('cleaning the final-reports and ready folders', () => {
  let dir: string;
  const old = new Date(Date.now() - 10 * 3_600_000);
  const put = async (name: string, mtime?: Date) => {
    await writeFile(join(dir, name), 'x');
    if (mtime) await utimes(join(dir, name), mtime, mtime);
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cleaner-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('deletes old files, keeps young ones and every file of a running task', async () => {
    await put('A_id1_src_20250101_000000.csv', old);
    await put('A_id2_src_20250101_000000.csv', old);
    await put('A_id3_src_20250101_000000.csv');
    await put('notes.txt', old);
    const removed = await cleanFinalReports(dir, 3_600_000, new Set([2]));
    expect(removed.sort()).toEqual(['A_id1_src_20250101_000000.csv', 'notes.txt']);
    expect((await readdir(dir)).sort()).toEqual(['A_id2_src_20250101_000000.csv', 'A_id3_src_20250101_000000.csv']);
  });

  it('deletes only old hidden partial copies from "ready to load"', async () => {
    await put('.a.csv.partial-0a1b2c3d', old);
    await put('.b.csv.partial-0a1b2c3d');
    await put('a.csv', old);
    expect(await cleanPartialCopies(dir, 3_600_000)).toEqual(['.a.csv.partial-0a1b2c3d']);
    expect((await readdir(dir)).sort()).toEqual(['.b.csv.partial-0a1b2c3d', 'a.csv']);
  });
});
