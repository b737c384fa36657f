// Pure parsing rules of the Агроресурсы report (kept apart from the script so they can be unit-tested).

const MONTHS: Record<string, string> = {
  янв: '01',
  фев: '02',
  мар: '03',
  апр: '04',
  май: '05',
  мая: '05',
  июн: '06',
  июл: '07',
  авг: '08',
  сен: '09',
  окт: '10',
  ноя: '11',
  дек: '12',
};

/** `июн 20 2025 12:00AM` (or `июн  3 2025 12:00AM`) → `2025-06-20`; an ISO date passes through. */
export function parseRussianDate(text: string): string | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (iso) return `${iso[1]}-${iso[2]}-${iso[3]}`;
  const match = /^([а-яё]{3})[а-яё.]*\s+(\d{1,2})\s+(\d{4})/i.exec(text.trim());
  if (!match) return undefined;
  const month = MONTHS[(match[1] ?? '').toLowerCase()];
  if (!month) return undefined;
  return `${match[3]}-${month}-${(match[2] ?? '').padStart(2, '0')}`;
}

/** `526275.00` → `526275`; other codes are kept as they are. */
export function clientCode(text: string): string {
  return text.trim().replace(/^(\d+)\.0+$/, '$1');
}

/** A quantity as a number (`1`, `1,5`, ` 2 `); empty or unreadable → undefined. */
export function quantity(text: string): number | undefined {
  const normalised = text.replace(/\s/g, '').replace(',', '.');
  if (normalised === '') return undefined;
  const value = Number(normalised);
  return Number.isFinite(value) ? value : undefined;
}

export const SOURCE_COLUMNS = [
  'инн',
  'клиент',
  'область_район',
  'город',
  'адрес',
  'название',
  'количество',
  'кол_перемещ',
  'филиал',
  'код_клиента',
  'номер_документа',
  'дата_документа',
  'код_товара',
] as const;

/** The header row is the first one holding every source column (row 4 in the real files). */
export function isHeaderRow(cells: string[]): boolean {
  const names = new Set(cells.map((cell) => cell.toLowerCase()));
  return SOURCE_COLUMNS.every((column) => names.has(column));
}

/** One source row → target columns. Every source column lands somewhere; null for a dropped row (zero quantity). */
export function mapRow(
  get: (column: (typeof SOURCE_COLUMNS)[number]) => string,
  meta: { provider: string; providerKind: string; sourceFile: string },
): Record<string, string> | null {
  const amount = quantity(get('количество'));
  if (amount === undefined || amount === 0) return null;
  const date = get('дата_документа');
  const transfer = quantity(get('кол_перемещ'));
  return {
    client_inn: get('инн'),
    client_inlaw: get('клиент'),
    client_name: get('клиент'),
    client_region: get('область_район'),
    client_city: get('город'),
    client_adress: get('адрес'),
    tms: get('название'),
    amount_type_1: String(amount),
    amount_type_4: transfer === undefined ? '' : String(transfer),
    supplier_filial: get('филиал'),
    client_id_ish: clientCode(get('код_клиента')),
    naklad: get('номер_документа'),
    period: parseRussianDate(date) ?? date,
    tms_id_ish: get('код_товара'),
    filename_ish: meta.sourceFile,
    report_provider_name: meta.provider,
    Report_Provaider: meta.providerKind,
  };
}
