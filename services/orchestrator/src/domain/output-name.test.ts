import { describe, expect, it } from 'vitest';
import { outputName, outputNamePattern, taskIdOfOutput } from './output-name.js';

describe('output file names', () => {
  const pattern = outputNamePattern('Аптека 36,6', 42, 'Сети/2025/06/Аптека 36,6/Продажи/june (1).xlsx');

  it.each([
    ['Аптека 36,6_id42_june (1)_20250630_101500.xlsx', true],
    ['Аптека 36,6_id42_june (1)_20250630_101500.csv', true],
    ['Аптека 36,6_id42_june (1)_20250630_101500.CSV', true],
    ['Аптека 36,6_id4_june (1)_20250630_101500.csv', false],
    ['Аптека 36,6_id42_june (1)_20250630_1015.csv', false],
    ['Аптека 36,6_id42_june (1)_20250630_101500.csv.partial', false],
    ['Аптека 36,6_id42_june (1)_20250630_101500.txt', false],
    ['Другая_id42_june (1)_20250630_101500.csv', false],
  ])('%s → %s', (name, matches) => {
    expect(pattern.test(name)).toBe(matches);
  });

  it('builds the name a script must write, and reads the task id back', () => {
    const name = outputName('Ригла', 7, 'x/y/report.csv', new Date(2025, 5, 30, 8, 5, 9), 'csv');
    expect(name).toBe('Ригла_id7_report_20250630_080509.csv');
    expect(taskIdOfOutput(name)).toBe(7);
    expect(taskIdOfOutput('notes.csv')).toBeUndefined();
  });
});
