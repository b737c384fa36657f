import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachedScriptLookup, resolveScript } from './script-resolver.js';

describe('cachedScriptLookup', () => {
  let scripts: string;
  let script: string;
  const lookup = { provider: 'Сеть', client: 'Ригла', reportType: null };

  beforeEach(async () => {
    scripts = await mkdtemp(join(tmpdir(), 'script-lookup-'));
    await mkdir(join(scripts, 'Сеть', 'Ригла'), { recursive: true });
    script = join(scripts, 'Сеть', 'Ригла', 'convert.ts');
    await writeFile(script, 'export default () => {};\n');
  });
  afterEach(() => rm(scripts, { recursive: true, force: true }));

  it('trusts a script found for a second, then sees its new version, then that it is gone', async () => {
    let clock = 1_000_000;
    const find = cachedScriptLookup(scripts, () => clock);
    const first = await find(lookup);
    expect(first?.path.endsWith(join('Ригла', 'convert.ts'))).toBe(true);

    await writeFile(script, 'export default () => { /* edited */ };\n');
    clock += 999;
    expect((await find(lookup))?.version).toBe(first?.version);
    clock += 1;
    const edited = await find(lookup);
    expect(edited?.path).toBe(first?.path);
    expect(edited?.version).not.toBe(first?.version);

    await rm(script);
    clock += 500;
    expect((await find(lookup))?.version).toBe(edited?.version);
    clock += 500;
    expect(await find(lookup)).toBeUndefined();
  });
});

describe('resolveScript: our layout and the original one', () => {
  let scripts: string;
  beforeEach(async () => {
    scripts = await mkdtemp(join(tmpdir(), 'script-resolve-'));
  });
  afterEach(() => rm(scripts, { recursive: true, force: true }));

  const NFD = 'Аптека Йод'.normalize('NFD');
  // files under <scripts> | the lookup (provider, client, report type) | the script found (relative), or none
  it.each<[string, string[], [string, string, string | null], string | undefined]>([
    [
      'legacy layout',
      ['Сеть/Ригла/Ригла_processing.py'],
      ['Сеть', 'Ригла', 'Продажи'],
      'Сеть/Ригла/Ригла_processing.py',
    ],
    [
      'legacy script beside its helpers (no single file)',
      ['Сеть/Ригла/Ригла_processing.py', 'Сеть/Ригла/helpers.py', 'Сеть/Ригла/mapping.json'],
      ['Сеть', 'Ригла', null],
      'Сеть/Ригла/Ригла_processing.py',
    ],
    [
      'our convert.* first',
      ['Сеть/Ригла/Ригла_processing.py', 'Сеть/Ригла/convert.py'],
      ['Сеть', 'Ригла', null],
      'Сеть/Ригла/convert.py',
    ],
    [
      'a report type folder of ours before the legacy script',
      ['Сеть/Ригла/Ригла_processing.py', 'Сеть/Ригла/extra.py', 'Сеть/Ригла/Продажи/convert.ts'],
      ['Сеть', 'Ригла', 'Продажи'],
      'Сеть/Ригла/Продажи/convert.ts',
    ],
    [
      'another client’s legacy name is not taken',
      ['Сеть/Ригла/Аптека_processing.py', 'Сеть/Ригла/helpers.py'],
      ['Сеть', 'Ригла', null],
      undefined,
    ],
    [
      'legacy name only in the client folder, not a report type folder',
      ['Сеть/Ригла/Продажи/Ригла_processing.py', 'Сеть/Ригла/Продажи/helpers.py'],
      ['Сеть', 'Ригла', 'Продажи'],
      undefined,
    ],
    [
      'NFD folder and file name, NFC lookup',
      [`Сеть/${NFD}/${NFD}_processing.py`, `Сеть/${NFD}/helpers.py`],
      ['Сеть', 'Аптека Йод', null],
      `Сеть/${NFD}/${NFD}_processing.py`,
    ],
    ['unsafe client name', ['Сеть/Ригла/Ригла_processing.py'], ['Сеть', '..', null], undefined],
  ])('%s', async (_, files, [provider, client, reportType], expected) => {
    for (const file of files) {
      await mkdir(dirname(join(scripts, file)), { recursive: true });
      await writeFile(join(scripts, file), 'print("x")\n');
    }
    const found = await resolveScript(scripts, { provider, client, reportType });
    expect(found && relative(scripts, found.path)).toBe(expected);
    if (expected?.endsWith('.py')) expect(found?.kind).toBe('python');
  });

  it('a legacy script needs no execute bit (run with the Python)', async () => {
    const file = join(scripts, 'Дистрибьютор', 'Агроресурсы', 'Агроресурсы_processing.py');
    await mkdir(dirname(file), { recursive: true });
    await writeFile(join(dirname(file), 'notes.txt'), 'x');
    await writeFile(file, 'print("x")\n');
    await chmod(file, 0o644);
    const found = await resolveScript(scripts, { provider: 'Дистрибьютор', client: 'Агроресурсы', reportType: null });
    expect(found).toMatchObject({ path: file, kind: 'python' });
  });
});
