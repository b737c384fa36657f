import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachedScriptLookup } from './script-resolver.js';

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
