/**
 * The columns of `raw.primary_data`, exactly as in `assets/report_header.xlsx` (the original target header,
 * spelling included: `client_adress`, `Report_Provaider`). A unit test keeps this list and the asset equal.
 */
export const TARGET_COLUMNS = [
  'supplier_filial',
  'client_inlaw',
  'client_region',
  'client_city',
  'client_adress',
  'tms',
  'client_inn',
  'amount_type_1',
  'client_id_ish',
  'filename_ish',
  'report_provider_name',
  'period',
  'Report_Provaider',
  'market',
  'client_type',
  'client_name',
  'supplier_name',
  'tms_id_ish',
  'mnf',
  'naklad',
  'amount_type_2',
  'amount_type_3',
  'amount_type_4',
  'amount_type_5',
  'date_godnost',
  'sum_no_nds',
  'sum_nds',
] as const;

const NUMERIC = new Set<string>([
  'amount_type_1',
  'amount_type_2',
  'amount_type_3',
  'amount_type_4',
  'amount_type_5',
  'sum_no_nds',
  'sum_nds',
]);
const DATES = new Set<string>(['period', 'date_godnost']);

/** Postgres type of each column: amounts and sums are numeric, periods and expiry dates are dates, the rest text. */
export function columnType(column: string): 'numeric' | 'date' | 'text' {
  if (NUMERIC.has(column)) return 'numeric';
  if (DATES.has(column)) return 'date';
  return 'text';
}
