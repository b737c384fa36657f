import { describe, expect, it } from 'vitest';
import { type NewFilesRegistryRow, newFilesRegistryCsv } from './new-files-registry.js';

const row = (overrides: Partial<NewFilesRegistryRow>): NewFilesRegistryRow => ({
  id: '7',
  file_path: 'Сети/2025/06/Ригла/Продажи/june.xls',
  uploaded_at: '2025-07-01 09:30:00',
  status: 'NEW',
  data_provider: 'Сеть',
  report_year: '2025',
  report_month: '6',
  client_name: 'Ригла',
  report_type: 'Продажи',
  created_at: '2025-07-01 09:31:02',
  error_reason: null,
  ...overrides,
});

describe('newFilesRegistryCsv', () => {
  it.each([
    [
      'a plain row',
      row({}),
      '7,Сети/2025/06/Ригла/Продажи/june.xls,2025-07-01 09:30:00,NEW,Сеть,2025,6,Ригла,Продажи,2025-07-01 09:31:02,',
    ],
    [
      'NULLs as empty cells',
      row({ uploaded_at: null, report_type: null }),
      '7,Сети/2025/06/Ригла/Продажи/june.xls,,NEW,Сеть,2025,6,Ригла,,2025-07-01 09:31:02,',
    ],
    [
      'a comma and a quote quoted',
      row({ client_name: 'Аптека 36,6 "Центр"', status: 'ERROR', error_reason: 'TIMEOUT' }),
      '7,Сети/2025/06/Ригла/Продажи/june.xls,2025-07-01 09:30:00,ERROR,Сеть,2025,6,"Аптека 36,6 ""Центр""",Продажи,2025-07-01 09:31:02,TIMEOUT',
    ],
  ])('%s', (_, input, line) => {
    expect(newFilesRegistryCsv([input])).toBe(
      `id,file_path,uploaded_at,status,data_provider,report_year,report_month,client_name,report_type,created_at,error_reason\n${line}\n`,
    );
  });

  it('is the header alone when no file is taken', () => {
    expect(newFilesRegistryCsv([]).split('\n')).toHaveLength(2);
  });
});
