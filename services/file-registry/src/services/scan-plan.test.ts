import { describe, expect, it } from 'vitest';
import type { FileStatus } from '../db/schema.js';
import { parseProviderFolders } from '../domain/provider-folders.js';
import { planScan } from './scan-plan.js';

const providers = parseProviderFolders('Сети=Сеть')!;
const extensions = new Set(['csv', 'xlsx']);
const walk = (files: string[], extra: { symlinks?: string[]; unreadable?: string[] } = {}) => ({
  files,
  symlinks: extra.symlinks ?? [],
  unreadable: (extra.unreadable ?? []).map((relativePath) => ({ relativePath, error: 'EACCES' })),
  directories: 1,
});

describe('planScan', () => {
  it('filters names first, skips registered paths, and keeps paths marked DELETE that are back on disk', () => {
    const known = new Map<string, FileStatus>([
      ['Сети/2025/06/A/T/known.csv', 'CREATED'],
      ['Сети/2025/06/A/T/back.csv', 'DELETE'],
    ]);
    const plan = planScan(
      walk([
        'Сети/2025/06/A/T/known.csv',
        'Сети/2025/06/A/T/back.csv',
        'Сети/2025/06/A/T/new.xlsx',
        'Сети/2025/06/A/T/~$new.xlsx',
        'Сети/2025/06/A/T/readme.txt',
        'Другие/2025/06/A/T/x.csv',
      ]),
      known,
      providers,
      extensions,
    );
    expect(plan.skippedByFilter).toBe(2);
    expect(plan.candidates.map((c) => [c.filePath, c.reappeared])).toEqual([
      ['Сети/2025/06/A/T/back.csv', true],
      ['Сети/2025/06/A/T/new.xlsx', false],
    ]);
    expect(plan.skippedByStructure).toEqual([
      expect.objectContaining({ path: 'Другие/2025/06/A/T/x.csv', reason: 'UNKNOWN_PROVIDER_FOLDER' }),
    ]);
    expect(plan.vanished).toEqual([]);
  });

  it('finds vanished files, but never below an unreadable folder, already deleted ones, or links', () => {
    const known = new Map<string, FileStatus>([
      ['Сети/2025/06/A/T/gone.csv', 'NEW'],
      ['Сети/2025/06/A/T/gone-before.csv', 'DELETE'],
      ['Сети/2025/07/B/T/hidden.csv', 'ERROR'],
      ['Сети/2025/06/A/T/now-a-link.csv', 'NEW'],
    ]);
    const plan = planScan(
      walk([], { symlinks: ['Сети/2025/06/A/T/now-a-link.csv'], unreadable: ['Сети/2025/07'] }),
      known,
      providers,
      extensions,
    );
    expect(plan.vanished).toEqual(['Сети/2025/06/A/T/gone.csv']);
  });

  it('protects everything when the root itself could not be read', () => {
    const plan = planScan(
      walk([], { unreadable: ['.'] }),
      new Map([['Сети/2025/06/A/T/x.csv', 'NEW' as const]]),
      providers,
      extensions,
    );
    expect(plan.vanished).toEqual([]);
  });
});
