import { createHash } from 'node:crypto';
import type { ClientsExtracted, StatementParsed } from '@pharma/shared/contracts';
import type { Static } from '@sinclair/typebox';

export type StatementEvent = Static<typeof StatementParsed>;
export type ClientsEvent = Static<typeof ClientsExtracted>;
type Transaction = StatementEvent['statement']['transactions'][number];

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const round2 = (value: number) => Math.round(value * 100) / 100;

export function clientsEvent(
  pharmacyId: string,
  customers: ClientsEvent['customers'],
  extractedAt = '2025-01-10T08:00:00.000Z',
): ClientsEvent {
  return { jobId: `clients-${extractedAt}`, pharmacyId, extractedAt, siteTotal: customers.length, customers };
}

export interface StatementOptions {
  pharmacyId: string;
  clientKey: string;
  customerName?: string;
  from?: string;
  to?: string;
  opening?: number;
  /** Number of transactions; sales and payments alternate, with a credit note and a return now and then. */
  count?: number;
  seed?: number;
  downloadedAt?: string;
  parsedAt?: string;
  startDate?: string;
  linesPerSale?: number;
}

/** A reconciled statement whose running balances add up, deterministic for a seed. */
export function statementEvent(options: StatementOptions): StatementEvent {
  const {
    pharmacyId,
    clientKey,
    customerName = `Client ${clientKey}`,
    from = '2017-01-01',
    to = '2025-01-09',
    opening = 0,
    count = 6,
    seed = 1,
    downloadedAt = '2025-01-10T09:00:00.000Z',
    parsedAt = '2025-01-10T09:00:02.000Z',
    startDate = '2024-06-01',
    linesPerSale = 2,
  } = options;
  let balance = opening;
  const start = Date.parse(`${startDate}T00:00:00Z`);
  const transactions: Transaction[] = [];
  for (let i = 0; i < count; i++) {
    const date = new Date(start + i * 9 * 86_400_000).toISOString().slice(0, 10);
    const pattern = i % 6;
    const kind = pattern === 5 ? 'credit_note' : pattern === 4 ? 'return' : pattern % 2 === 0 ? 'sale' : 'payment';
    const total = round2(100 + ((seed * 37 + i * 53) % 900) + ((seed + i) % 100) / 100);
    const effect = kind === 'sale' ? total : -round2(total / 2);
    balance = round2(balance + effect);
    const lines =
      kind === 'sale'
        ? Array.from({ length: linesPerSale }, (_, n) => {
            const lineTotal =
              n === linesPerSale - 1 ? round2(total - round2(total / linesPerSale) * n) : round2(total / linesPerSale);
            return {
              product: `Produit ${(seed + i + n) % 40}`,
              quantity: 1,
              unitPrice: lineTotal,
              discount: 0,
              discountedUnitPrice: lineTotal,
              total: lineTotal,
            };
          })
        : [];
    transactions.push({
      date,
      reference: `${kind === 'sale' ? 'V' : 'P'}-${String(seed * 1000 + i).padStart(6, '0')}`,
      label: { sale: 'Vente', payment: 'Paiement vente', return: 'Retour vente', credit_note: 'Avoir client' }[kind],
      kind,
      total: kind === 'sale' ? total : round2(total / 2),
      effect,
      balance,
      page: 1 + Math.floor(i / 30),
      lines,
    });
  }
  return {
    jobId: `statements-${downloadedAt}`,
    pharmacyId,
    clientKey,
    customerName,
    from,
    to,
    sourceSha256: sha(`${clientKey}:${from}:${to}:${downloadedAt}:${seed}`),
    downloadedAt,
    parsedAt,
    statement: {
      openingBalance: opening,
      closingBalance: balance,
      computedClosingBalance: balance,
      verdict: 'ok',
      pages: 1 + Math.floor(count / 30),
      transactions,
      anomalies: [],
    },
  };
}
