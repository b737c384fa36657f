import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { moveToReady } from './safe-move.js';

describe('moveToReady', () => {
  let base: string;
  let final: string;
  let ready: string;
  const options = { retries: 1, retryDelayMs: 1 };

  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'safe-move-'));
    final = join(base, 'final');
    ready = join(base, 'ready');
    await mkdir(final);
    await mkdir(ready);
  });
  afterEach(() => rm(base, { recursive: true, force: true }));

  it('moves a file under its own name', async () => {
    await writeFile(join(final, 'a.csv'), 'x\n1\n');
    const result = await moveToReady(join(final, 'a.csv'), ready, options);
    expect(result).toEqual({ ok: true, path: join(ready, 'a.csv'), alreadyPresent: false });
    expect(await readdir(final)).toEqual([]);
    expect(await readFile(join(ready, 'a.csv'), 'utf8')).toBe('x\n1\n');
  });

  it('same content already there: already present, nothing duplicated', async () => {
    await writeFile(join(ready, 'a.csv'), 'x\n1\n');
    await writeFile(join(final, 'a.csv'), 'x\n1\n');
    const result = await moveToReady(join(final, 'a.csv'), ready, options);
    expect(result).toEqual({ ok: true, path: join(ready, 'a.csv'), alreadyPresent: true });
    expect(await readdir(ready)).toEqual(['a.csv']);
    expect(await readdir(final)).toEqual([]);
  });

  it('other content under the name: the next free suffix, the existing file untouched', async () => {
    await writeFile(join(ready, 'a.csv'), 'old\n');
    await writeFile(join(ready, 'a_1.csv'), 'older\n');
    await writeFile(join(final, 'a.csv'), 'new\n');
    const result = await moveToReady(join(final, 'a.csv'), ready, options);
    expect(result).toEqual({ ok: true, path: join(ready, 'a_2.csv'), alreadyPresent: false });
    expect(await readFile(join(ready, 'a.csv'), 'utf8')).toBe('old\n');
    expect(await readFile(join(ready, 'a_2.csv'), 'utf8')).toBe('new\n');
  });

  it('a missing destination folder fails with a reason and leaves the source in place', async () => {
    await writeFile(join(final, 'a.csv'), 'x\n');
    const result = await moveToReady(join(final, 'a.csv'), join(base, 'nowhere'), options);
    expect(result).toMatchObject({ ok: false, reason: 'MOVE_FAILED' });
    expect(await readdir(final)).toEqual(['a.csv']);
  });

  it('a destination name too long → PATH_TOO_LONG', async () => {
    const result = await moveToReady(join(final, `${'n'.repeat(300)}.csv`), ready, options);
    expect(result).toMatchObject({ ok: false, reason: 'PATH_TOO_LONG' });
  });
});
