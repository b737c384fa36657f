import { type CsvSeparator, type CsvValue, csvLine, UTF8_BOM } from '@pharma/shared/csv';
import type Database from 'better-sqlite3';
import { searchCustomers } from '../repositories/customers.queries.js';
import { ageing, balances } from './reports.service.js';

export type CsvDataset = 'customers' | 'balances' | 'transactions' | 'product-lines' | 'ageing';

export interface CsvRequest {
  dataset: CsvDataset;
  separator: CsvSeparator;
  clientKey?: string;
  /** The statement of exactly this period instead of the current one (transactions, product lines). */
  period?: { from: string; to: string };
  asOf: string;
  cursor: number;
}

export interface CsvChunk {
  fileName: string;
  contentType: string;
  text: string;
  rows: number;
  nextCursor?: number;
}

/** A chunk stays well under the NATS message limit (1 MB by default). */
const MAX_CHUNK_BYTES = 512 * 1024;
const MAX_CHUNK_ROWS = 5_000;

interface Dataset {
  header: string[];
  /** Up to `limit` rows starting at `offset`. */
  rows(sqlite: Database.Database, request: CsvRequest, offset: number, limit: number): CsvValue[][];
}

/** Which statements a transactions or product-lines export reads: the asked period's, else the current ones. */
function statementFilter(request: CsvRequest): string {
  const statement = request.period ? 's.period_from = @from AND s.period_to = @to' : 's.is_current = 1';
  return request.clientKey ? `${statement} AND s.client_key = @clientKey` : statement;
}

const statementParams = (request: CsvRequest, offset: number, limit: number) => ({
  clientKey: request.clientKey,
  from: request.period?.from,
  to: request.period?.to,
  offset,
  limit,
});

const sliceOf = <T>(items: T[], offset: number, limit: number) => items.slice(offset, offset + limit);

/** A dataset of objects (customers, balances, ageing): each column is a header and the field it shows. */
function objectDataset<T>(
  columns: [header: string, field: keyof T & string][],
  items: (sqlite: Database.Database, request: CsvRequest, offset: number, limit: number) => T[],
): Dataset {
  return {
    header: columns.map(([header]) => header),
    rows: (sqlite, request, offset, limit) =>
      items(sqlite, request, offset, limit).map((item) => columns.map(([, field]) => item[field] as CsvValue)),
  };
}

const DATASETS: Record<CsvDataset, Dataset> = {
  customers: objectDataset(
    [
      ['client_key', 'clientKey'],
      ['nom', 'name'],
      ['email', 'email'],
      ['telephone', 'phone'],
      ['organisme', 'organisme'],
      ['immatriculation', 'immatriculation'],
      ['solde', 'balance'],
      ['verdict', 'verdict'],
      ['dernier_paiement', 'lastPaymentDate'],
    ],
    (sqlite, _request, offset, limit) => searchCustomers(sqlite, { offset, limit }).items,
  ),
  balances: objectDataset(
    [
      ['client_key', 'clientKey'],
      ['nom', 'name'],
      ['du', 'from'],
      ['au', 'to'],
      ['solde_initial', 'openingBalance'],
      ['solde_final', 'closingBalance'],
      ['solde_calcule', 'computedClosingBalance'],
      ['ecart', 'difference'],
      ['verdict', 'verdict'],
    ],
    (sqlite, _request, offset, limit) => sliceOf(balances(sqlite, { discrepanciesFirst: true }).rows, offset, limit),
  ),
  transactions: {
    header: ['client_key', 'nom', 'date', 'reference', 'libelle', 'type', 'total', 'effet', 'solde'],
    rows: (sqlite, request, offset, limit) =>
      sqlite
        .prepare(
          `SELECT t.client_key, c.name, t.date, t.reference, t.label, t.kind, t.total, t.effect, t.balance
             FROM statements s JOIN transactions t ON t.statement_id = s.id
             JOIN customers c ON c.client_key = s.client_key
             WHERE ${statementFilter(request)}
             ORDER BY c.name, t.client_key, t.seq LIMIT @limit OFFSET @offset`,
        )
        .raw()
        .all(statementParams(request, offset, limit)) as CsvValue[][],
  },
  'product-lines': {
    header: [
      'client_key',
      'nom',
      'date',
      'reference',
      'produit',
      'quantite',
      'prix_unitaire',
      'remise',
      'prix_unitaire_remise',
      'total',
    ],
    rows: (sqlite, request, offset, limit) =>
      sqlite
        .prepare(
          `SELECT t.client_key, c.name, t.date, t.reference, l.product, l.quantity, l.unit_price, l.discount,
             l.discounted_unit_price, l.total
           FROM statements s JOIN transactions t ON t.statement_id = s.id
           JOIN product_lines l ON l.statement_id = t.statement_id AND l.transaction_seq = t.seq
           JOIN customers c ON c.client_key = s.client_key
           WHERE ${statementFilter(request)}
           ORDER BY c.name, t.client_key, t.seq, l.line_no LIMIT @limit OFFSET @offset`,
        )
        .raw()
        .all(statementParams(request, offset, limit)) as CsvValue[][],
  },
  ageing: objectDataset(
    [
      ['client_key', 'clientKey'],
      ['nom', 'name'],
      ['0_30_jours', 'days0to30'],
      ['31_60_jours', 'days31to60'],
      ['61_90_jours', 'days61to90'],
      ['plus_90_jours', 'over90'],
      ['impaye', 'outstanding'],
      ['credit_non_affecte', 'unappliedCredit'],
      ['solde', 'balance'],
    ],
    (sqlite, request, offset, limit) =>
      sliceOf(ageing(sqlite, { asOf: request.asOf, clientKey: request.clientKey }).customers, offset, limit),
  ),
};

/**
 * One chunk of a CSV export. The first chunk starts with a BOM and the header; the caller concatenates chunks
 * in cursor order. Each chunk is computed from the live database, so a long export may see later writes.
 */
export function csvChunk(
  sqlite: Database.Database,
  request: CsvRequest,
  baseName: string,
  maxRows = MAX_CHUNK_ROWS,
): CsvChunk {
  const dataset = DATASETS[request.dataset];
  const parts: string[] = [];
  let bytes = 0;
  if (request.cursor === 0) parts.push(UTF8_BOM, csvLine(dataset.header, request.separator));
  const rows = dataset.rows(sqlite, request, request.cursor, maxRows + 1);
  let taken = 0;
  for (const row of rows.slice(0, maxRows)) {
    const line = csvLine(row, request.separator);
    bytes += Buffer.byteLength(line);
    parts.push(line);
    taken++;
    if (bytes >= MAX_CHUNK_BYTES) break;
  }
  const more = taken < rows.length;
  const period = request.period ? `_${request.period.from}_${request.period.to}` : '';
  const suffix = `${request.clientKey ? `_${request.clientKey}` : ''}${period}`;
  return {
    fileName: `${baseName}_${request.dataset}${suffix}.csv`,
    contentType: 'text/csv; charset=utf-8',
    text: parts.join(''),
    rows: taken,
    ...(more ? { nextCursor: request.cursor + taken } : {}),
  };
}
