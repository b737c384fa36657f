import { Simulation, type StatementRequest } from '@pharma/sobrus-sim';
import type { RawProductLine } from '../../src/domain/statement.layout.js';
import type { ExpectedStatement } from '../helpers/expected.js';

/** A statement as any producer prints it: amounts in cents, rows with their product lines. */
export interface CorpusStatement {
  id: string;
  pharmacyName: string;
  customerName: string;
  startDate: string;
  endDate: string;
  openingCents: number;
  closingCents: number;
  rows: CorpusRow[];
  /** References of rows printed with a Total that is not their balance move. */
  inconsistent: string[];
}

export interface CorpusRow {
  date: string;
  reference: string;
  label: string;
  kind: ExpectedStatement['transactions'][number]['kind'];
  totalCents: number;
  effectCents: number;
  balanceCents: number;
  lines: RawProductLine[];
}

const LONG_REMARKS = [
  'livraison express au dépôt central',
  'commande groupée du mois, fidélité client, livrée en deux fois par le grossiste',
  'régularisation après inventaire contradictoire du stock officinal et des ristournes fournisseur de fin d’exercice, validée par le titulaire',
];

/**
 * Ground truth for the producer corpus: simulator statements, reshaped so that every statement exercises
 * what real ones print: balances above 1 000 000 and below zero, a balance of exactly 0,01 or -0,01, a total
 * above 1 000 000, labels that wrap onto up to four lines, and (for one) a Total that differs from its move.
 */
export function corpusStatements(): CorpusStatement[] {
  const simulation = new Simulation({ seed: 'producer-corpus', customers: 40, today: '2024-12-31' });
  const account = simulation.accounts()[0]!;
  const customers = simulation.customers(account.email);
  const period = (customerId: string, startDate: string, endDate: string): StatementRequest => ({
    account: account.email,
    customerId,
    startDate,
    endDate,
  });
  const pick = (tier: string, skip = 0) => customers.filter((customer) => customer.tier === tier)[skip]!;
  const plans: { request: StatementRequest; shape: Shape }[] = [
    { request: period(pick('light').id, '2017-01-01', '2024-12-31'), shape: 'tiny-positive' },
    { request: period(pick('regular').id, '2022-01-01', '2022-12-31'), shape: 'cent-and-millions' },
    { request: period(pick('regular', 1).id, '2020-01-01', '2021-12-31'), shape: 'negative-and-inconsistent' },
    { request: period(pick('heavy').id, '2023-07-01', '2023-12-31'), shape: 'long' },
  ];
  return plans.map(({ request, shape }, index) => {
    const customer = customers.find((candidate) => candidate.id === request.customerId)!;
    const data = simulation.statement(request);
    return reshape(
      {
        id: `${String(index + 1).padStart(2, '0')}-${shape}`,
        pharmacyName: account.pharmacyName,
        customerName: customer.name,
        startDate: request.startDate,
        endDate: request.endDate,
        openingCents: data.openingBalance,
        closingCents: data.closingBalance,
        inconsistent: [],
        rows: data.rows.map((row) => ({
          date: row.date,
          reference: row.reference,
          label: row.label,
          kind: row.kind,
          totalCents: row.total,
          effectCents: row.effect,
          balanceCents: row.balance,
          lines: row.lines.map((line) => ({
            product: line.product,
            quantity: line.quantity,
            unitPriceCents: line.unitPrice,
            discount: line.discount,
            discountedUnitPriceCents: line.discountedUnitPrice,
            totalCents: line.total,
          })),
        })),
      },
      shape,
    );
  });
}

type Shape = 'tiny-positive' | 'cent-and-millions' | 'negative-and-inconsistent' | 'long';

function reshape(statement: CorpusStatement, shape: Shape): CorpusStatement {
  let rows = statement.rows.map((row, index) => ({
    ...row,
    // Every third label grows by a remark of one, two or three more lines' worth.
    label: index % 3 === 1 ? `${row.label} — ${LONG_REMARKS[Math.floor(index / 3) % LONG_REMARKS.length]}` : row.label,
  }));
  if (shape === 'tiny-positive') rows = rows.slice(0, 6);
  if (shape === 'long') rows = rows.slice(0, 160);
  let offset = 0;
  if (shape === 'cent-and-millions') {
    // A payment above 1 000 000 in the middle, and the balance of one row exactly 0,01.
    const middle = Math.floor(rows.length / 2);
    const big = rows[middle]!;
    rows.splice(middle + 1, 0, {
      date: big.date,
      reference: `P-${big.reference.replace(/\D/g, '')}9`,
      label: 'Paiement par virement bancaire',
      kind: 'payment',
      totalCents: 123_456_789,
      effectCents: -123_456_789,
      balanceCents: big.balanceCents - 123_456_789,
      lines: [],
    });
    for (const row of rows.slice(middle + 2)) row.balanceCents -= 123_456_789;
    offset = 1 - rows[Math.floor(middle / 2)]!.balanceCents;
  }
  if (shape === 'negative-and-inconsistent') {
    offset = -(rows[3]?.balanceCents ?? 0) - 1 - 250_000_000;
  }
  if (shape === 'long') offset = 987_654_321 - (rows[0]?.balanceCents ?? 0);
  const inconsistent: string[] = [];
  if (shape === 'negative-and-inconsistent') {
    const sale = rows.find((row) => row.kind === 'sale');
    if (sale) {
      sale.totalCents += 1_000;
      inconsistent.push(sale.reference);
    }
  }
  const opening = statement.openingCents + offset;
  rows = rows.map((row) => ({ ...row, balanceCents: row.balanceCents + offset }));
  return {
    ...statement,
    openingCents: opening,
    closingCents: rows.at(-1)?.balanceCents ?? opening,
    rows,
    inconsistent,
  };
}

/** What a correct parser reads from any printing of the statement (the page of each row is the producer's). */
export function expectedOf(
  statement: CorpusStatement,
  pages: number,
): Omit<ExpectedStatement, 'transactions'> & {
  transactions: Omit<ExpectedStatement['transactions'][number], 'page'>[];
} {
  const units = (cents: number) => cents / 100;
  return {
    openingBalance: units(statement.openingCents),
    closingBalance: units(statement.closingCents),
    computedClosingBalance: units(statement.closingCents),
    verdict: statement.inconsistent.length > 0 ? 'ok_with_anomalies' : 'ok',
    pages,
    transactions: statement.rows.map((row) => ({
      date: row.date,
      reference: row.reference,
      label: row.label,
      kind: row.kind,
      total: units(row.totalCents),
      effect: units(row.effectCents),
      balance: units(row.balanceCents),
      lines: row.lines.map((line) => ({
        product: line.product,
        quantity: line.quantity,
        unitPrice: units(line.unitPriceCents),
        discount: line.discount,
        discountedUnitPrice: units(line.discountedUnitPriceCents),
        total: units(line.totalCents),
      })),
    })),
    anomalies: statement.inconsistent.map((reference) => ({ kind: 'effect_differs_from_total', reference })),
  };
}
