import type { TransactionKind } from './statement.types.js';

const RULES: [RegExp, TransactionKind][] = [
  [/^vente\b/, 'sale'],
  [/^paiement\b/, 'payment'],
  // The cash refund of a returned item is booked by Sobrus as a payment.
  [/^remboursement\b/, 'payment'],
  [/^retour\b/, 'return'],
  [/^avoir\b/, 'credit_note'],
];

/** Kind from the label's first word; the sign of a row never comes from here, only from the balances. */
export function kindFromLabel(label: string): TransactionKind {
  const normalized = normalizeText(label);
  return RULES.find(([pattern]) => pattern.test(normalized))?.[1] ?? 'other';
}

/** Lower case, accents removed, spaces collapsed: for matching printed words. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\s\u00A0\u202F\u2009]+/g, ' ')
    .trim();
}
