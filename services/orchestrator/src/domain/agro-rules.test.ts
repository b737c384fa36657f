import { describe, expect, it } from 'vitest';
import {
  clientCode,
  isHeaderRow,
  mapRow,
  parseRussianDate,
  quantity,
  SOURCE_COLUMNS,
} from '../../scripts/_lib/agro.js';

// The rules of the shipped Агроресурсы script (scripts/Дистрибьютор/Агроресурсы/convert.ts).
describe('Агроресурсы parsing rules', () => {
  it.each([
    ['июн 20 2025 12:00AM', '2025-06-20'],
    ['июн  3 2025 12:00AM', '2025-06-03'],
    ['Дек 31 2024 12:00AM', '2024-12-31'],
    ['мая 1 2025', '2025-05-01'],
    ['2025-06-07', '2025-06-07'],
    ['xyz 1 2025', undefined],
    ['', undefined],
  ])('date %j → %s', (text, iso) => {
    expect(parseRussianDate(text)).toBe(iso);
  });

  it.each([
    ['526275.00', '526275'],
    ['526275.0', '526275'],
    ['2402.10', '2402.10'],
    [' 77 ', '77'],
    ['A-1', 'A-1'],
  ])('client code %j → %s', (text, code) => {
    expect(clientCode(text)).toBe(code);
  });

  it.each([
    ['1', 1],
    ['0', 0],
    ['-2', -2],
    ['1,5', 1.5],
    ['', undefined],
    ['n/a', undefined],
  ])('quantity %j → %s', (text, value) => {
    expect(quantity(text)).toBe(value);
  });

  it('finds the header row by its column names', () => {
    expect(isHeaderRow(['', 'Отчет количественного учета'])).toBe(false);
    expect(isHeaderRow([...SOURCE_COLUMNS])).toBe(true);
    expect(isHeaderRow(SOURCE_COLUMNS.slice(1))).toBe(false);
  });

  const source: Record<string, string> = {
    инн: '2310031475',
    клиент: 'АО "Тандер"',
    область_район: 'Краснодарский край',
    город: 'Курганинск г',
    адрес: 'ул. Р. Люксенбург, д. 263',
    название: 'Скю1',
    количество: '2',
    кол_перемещ: '0',
    филиал: 'Краснодар',
    код_клиента: '526275.00',
    номер_документа: '3337432',
    дата_документа: 'июн 20 2025 12:00AM',
    код_товара: '48791',
  };
  const meta = { provider: 'Агроресурсы', providerKind: 'Дистрибьютор', sourceFile: 'a.xlsx' };

  it('maps every source column', () => {
    expect(mapRow((column) => source[column] ?? '', meta)).toEqual({
      client_inn: '2310031475',
      client_inlaw: 'АО "Тандер"',
      client_name: 'АО "Тандер"',
      client_region: 'Краснодарский край',
      client_city: 'Курганинск г',
      client_adress: 'ул. Р. Люксенбург, д. 263',
      tms: 'Скю1',
      amount_type_1: '2',
      amount_type_4: '0',
      supplier_filial: 'Краснодар',
      client_id_ish: '526275',
      naklad: '3337432',
      period: '2025-06-20',
      tms_id_ish: '48791',
      filename_ish: 'a.xlsx',
      report_provider_name: 'Агроресурсы',
      Report_Provaider: 'Дистрибьютор',
    });
  });

  it('drops rows with a zero or empty quantity', () => {
    expect(mapRow((column) => (column === 'количество' ? '0' : (source[column] ?? '')), meta)).toBeNull();
    expect(mapRow((column) => (column === 'количество' ? '' : (source[column] ?? '')), meta)).toBeNull();
  });
});
