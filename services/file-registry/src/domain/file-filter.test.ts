import { describe, expect, it } from 'vitest';
import { filterFileName } from './file-filter.js';

const extensions = new Set(['csv', 'xls', 'xlsx']);

describe('filterFileName', () => {
  it.each([
    ['report.xlsx', undefined],
    ['REPORT.XLSX', undefined],
    ['data.csv', undefined],
    ['old.xls', undefined],
    ['~$report.xlsx', 'TEMPORARY'],
    ['download.tmp', 'TEMPORARY'],
    ['download.TMP', 'TEMPORARY'],
    ['notes.pdf', 'EXTENSION'],
    ['no-extension', 'EXTENSION'],
    ['.xlsx', 'EXTENSION'],
    ['archive.xlsx.zip', 'EXTENSION'],
  ])('%s → %s', (name, expected) => {
    expect(filterFileName(name, extensions)).toBe(expected);
  });
});
