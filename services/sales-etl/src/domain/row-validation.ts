import { parseDate, parseDecimal, parseNonNegativeInteger } from './value-parsers.js';

export type RejectReason =
  | 'MALFORMED_CSV'
  | 'COLUMN_COUNT'
  | 'MISSING_FIELD'
  | 'INVALID_ID'
  | 'INVALID_NUMBER'
  | 'INVALID_DATE'
  | 'NEGATIVE_VALUE'
  | 'UNKNOWN_PRODUCT'
  | 'UNKNOWN_STORE'
  | 'REVENUE_MISMATCH';

export interface RowReject {
  reason: RejectReason;
  message: string;
}

/** What a sales row may point to: products with their price, and stores. Filled as the import goes. */
export interface References {
  productPrices: Map<number, number>;
  stores: Set<number>;
}

export interface ValidationContext {
  refs: References;
  /** Accepted relative gap between the revenue and quantity × price (plus one cent for rounding). */
  revenueTolerance: number;
  /** Parsed dates by their text: a sales file repeats the same few hundred dates. */
  dateCache: Map<string, string | undefined>;
}

export function createValidationContext(refs: References, revenueTolerance: number): ValidationContext {
  return { refs, revenueTolerance, dateCache: new Map() };
}

const reject = (reason: RejectReason, message: string): RowReject => ({ reason, message });

function required(record: readonly string[], index: number, column: string): string | RowReject {
  const value = record[index];
  // Only a value starting with a space or control character can be blank: skip trim() for the rest.
  if (value === undefined || value.length === 0 || (value.charCodeAt(0) <= 32 && value.trim() === '')) {
    return reject('MISSING_FIELD', `${column} is empty`);
  }
  return value;
}

function id(record: readonly string[], index: number, column: string): number | RowReject {
  const text = required(record, index, column);
  if (typeof text !== 'string') return text;
  const value = parseNonNegativeInteger(text);
  return value === undefined || value === 0
    ? reject('INVALID_ID', `${column} "${text}" is not a positive integer`)
    : value;
}

function amount(record: readonly string[], index: number, column: string): number | RowReject {
  const text = required(record, index, column);
  if (typeof text !== 'string') return text;
  const value = parseDecimal(text);
  if (value === undefined) return reject('INVALID_NUMBER', `${column} "${text}" is not a number`);
  if (value < 0) return reject('NEGATIVE_VALUE', `${column} ${text} is negative`);
  return value;
}

/** Pushes `id_produit, nom, prix` onto `out` when the row is valid. */
export function validateProduct(
  record: readonly string[],
  idx: readonly number[],
  out: unknown[],
): RowReject | undefined {
  const idProduit = id(record, idx[0]!, 'id_produit');
  if (typeof idProduit !== 'number') return idProduit;
  const nom = required(record, idx[1]!, 'nom');
  if (typeof nom !== 'string') return nom;
  const prix = amount(record, idx[2]!, 'prix');
  if (typeof prix !== 'number') return prix;
  out.push(idProduit, nom.trim(), prix);
  return undefined;
}

/** Pushes `id_magasin, ville` onto `out` when the row is valid. */
export function validateStore(
  record: readonly string[],
  idx: readonly number[],
  out: unknown[],
): RowReject | undefined {
  const idMagasin = id(record, idx[0]!, 'id_magasin');
  if (typeof idMagasin !== 'number') return idMagasin;
  const ville = required(record, idx[1]!, 'ville');
  if (typeof ville !== 'string') return ville;
  out.push(idMagasin, ville.trim());
  return undefined;
}

/** Pushes `id_vente, id_produit, id_magasin, date_vente, quantite, chiffre_affaires` onto `out` when valid. */
export function validateSale(
  record: readonly string[],
  idx: readonly number[],
  ctx: ValidationContext,
  out: unknown[],
): RowReject | undefined {
  const idVente = id(record, idx[0]!, 'id_vente');
  if (typeof idVente !== 'number') return idVente;
  const idProduit = id(record, idx[1]!, 'id_produit');
  if (typeof idProduit !== 'number') return idProduit;
  const idMagasin = id(record, idx[2]!, 'id_magasin');
  if (typeof idMagasin !== 'number') return idMagasin;
  const dateText = required(record, idx[3]!, 'date_vente');
  if (typeof dateText !== 'string') return dateText;
  let date = ctx.dateCache.get(dateText);
  if (date === undefined && !ctx.dateCache.has(dateText)) {
    date = parseDate(dateText);
    ctx.dateCache.set(dateText, date);
  }
  if (date === undefined) return reject('INVALID_DATE', `date_vente "${dateText}" is not a date`);
  const quantite = amount(record, idx[4]!, 'quantite');
  if (typeof quantite !== 'number') return quantite;
  if (!Number.isInteger(quantite)) return reject('INVALID_NUMBER', `quantite ${quantite} is not a whole number`);
  const revenue = amount(record, idx[5]!, 'chiffre_affaires');
  if (typeof revenue !== 'number') return revenue;
  const price = ctx.refs.productPrices.get(idProduit);
  if (price === undefined) return reject('UNKNOWN_PRODUCT', `id_produit ${idProduit} is not a known product`);
  if (!ctx.refs.stores.has(idMagasin)) return reject('UNKNOWN_STORE', `id_magasin ${idMagasin} is not a known store`);
  const expected = quantite * price;
  if (Math.abs(revenue - expected) > 0.01 + expected * ctx.revenueTolerance) {
    return reject(
      'REVENUE_MISMATCH',
      `chiffre_affaires ${revenue} differs from quantite × prix = ${quantite} × ${price} = ${round2(expected)}`,
    );
  }
  out.push(idVente, idProduit, idMagasin, date, quantite, revenue);
  return undefined;
}

const round2 = (value: number) => Math.round(value * 100) / 100;
