import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { folderClosedToOthers } from './postgres-access.js';

describe('folders the postgres user must enter when the launcher runs as root', () => {
  const base = mkdtempSync(join(tmpdir(), 'pg-access-'));
  afterAll(() => {
    chmodSync(join(base, 'home'), 0o755);
    rmSync(base, { recursive: true, force: true });
  });

  it('names the first folder others cannot enter, on the way to a path that may not exist yet', () => {
    chmodSync(base, 0o755);
    mkdirSync(join(base, 'home/checkout/node_modules'), { recursive: true });
    chmodSync(join(base, 'home'), 0o700);
    expect(folderClosedToOthers([join(base, 'home/checkout/.data/postgres')])).toBe(join(base, 'home'));
    expect(folderClosedToOthers([join(base, 'elsewhere/.data'), join(base, 'home/checkout/node_modules')])).toBe(
      join(base, 'home'),
    );
    chmodSync(join(base, 'home'), 0o711);
    expect(folderClosedToOthers([join(base, 'home/checkout/.data/postgres')])).toBeUndefined();
  });
});
