import { describe, expect, it } from 'vitest';
import { parseFilePath } from './file-path.parser.js';
import { parseProviderFolders } from './provider-folders.js';

const providers = parseProviderFolders('Сети=Сеть,Дистрибьюторы=Дистрибьютор')!;
const parse = (path: string) => parseFilePath(path.split('/'), providers);

describe('parseFilePath', () => {
  it.each([
    ['Сети/2025/06/Аптека 36,6/Продажи/june.xlsx', 'Сеть', 2025, 6, 'Аптека 36,6', 'Продажи'],
    ['Дистрибьюторы/2024/12/Агроресурсы/Остатки/x.csv', 'Дистрибьютор', 2024, 12, 'Агроресурсы', 'Остатки'],
    ['Сети/2025/1/Client/sales/a.xls', 'Сеть', 2025, 1, 'Client', 'sales'],
  ])('reads %s', (path, dataProvider, reportYear, reportMonth, clientName, reportType) => {
    expect(parse(path)).toEqual({ ok: true, value: { dataProvider, reportYear, reportMonth, clientName, reportType } });
  });

  it('normalizes decomposed (NFD) names to NFC', () => {
    const decomposed = 'Сети/2025/06/Йошкар-Ола/Продажи/a.csv'.normalize('NFD');
    expect(decomposed).not.toBe(decomposed.normalize('NFC'));
    const result = parseFilePath(decomposed.split('/'), providers);
    expect(result.ok && result.value.clientName).toBe('Йошкар-Ола'.normalize('NFC'));
    expect(result.ok && result.value.dataProvider).toBe('Сеть');
  });

  it.each([
    ['Сети/2025/06/Client/file.xlsx', 'WRONG_DEPTH'],
    ['Сети/2025/06/Client/sales/extra/file.xlsx', 'WRONG_DEPTH'],
    ['report.xlsx', 'WRONG_DEPTH'],
    ['Прочее/2025/06/Client/sales/file.xlsx', 'UNKNOWN_PROVIDER_FOLDER'],
    ['Сети/25/06/Client/sales/file.xlsx', 'BAD_YEAR'],
    ['Сети/1999/06/Client/sales/file.xlsx', 'BAD_YEAR'],
    ['Сети/2025/13/Client/sales/file.xlsx', 'BAD_MONTH'],
    ['Сети/2025/00/Client/sales/file.xlsx', 'BAD_MONTH'],
    ['Сети/2025/июнь/Client/sales/file.xlsx', 'BAD_MONTH'],
    ['Сети/2025/06/ /sales/file.xlsx', 'BAD_NAME'],
  ])('rejects %s as %s with a message', (path, reason) => {
    const result = parse(path);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toBe(reason);
      expect(result.message.length).toBeGreaterThan(5);
    }
  });
});

describe('parseProviderFolders', () => {
  it('reads pairs and JSON, and refuses malformed mappings', () => {
    expect(parseProviderFolders('A=a, B = b')).toEqual({ A: 'a', B: 'b' });
    expect(parseProviderFolders('{"Сети":"Сеть"}')).toEqual({ Сети: 'Сеть' });
    expect(parseProviderFolders('A')).toBeUndefined();
    expect(parseProviderFolders('A=b=c')).toBeUndefined();
    expect(parseProviderFolders('{}')).toBeUndefined();
    expect(parseProviderFolders('{"A": 1}')).toBeUndefined();
  });
});
