import type Database from 'better-sqlite3';
import { preparedPerConnection } from '../db/prepared-statements.js';
import type { CustomerRow } from '../db/schema.js';
import { seedNames } from '../domain/seed-names.js';

const statementsOf = preparedPerConnection((sqlite) => ({
  allCustomers: sqlite.prepare('SELECT client_key AS clientKey, name, seed_name AS seedName FROM customers'),
  setSeedName: sqlite.prepare('UPDATE customers SET seed_name = ? WHERE client_key = ?'),
  deleteClientKey: sqlite.prepare('DELETE FROM client_keys WHERE nom = ?'),
  deleteSolde: sqlite.prepare('DELETE FROM solde_final WHERE nom = ?'),
  deleteSimple: sqlite.prepare('DELETE FROM simple_transactions WHERE nom = ?'),
  deleteDetailed: sqlite.prepare('DELETE FROM detailed_transactions WHERE nom = ?'),
  insertClientKey: sqlite.prepare('INSERT INTO client_keys (nom, client_key) VALUES (?, ?)'),
  insertSolde: sqlite.prepare(
    `INSERT INTO solde_final (nom, solde)
       SELECT ?, closing_balance FROM statements WHERE client_key = ? AND is_current = 1`,
  ),
  insertSimple: sqlite.prepare(
    `INSERT INTO simple_transactions (nom, date, reference, libelle, total, solde)
       SELECT ?, t.date, t.reference, t.label, t.total, t.balance
       FROM statements s JOIN transactions t ON t.statement_id = s.id
       WHERE s.client_key = ? AND s.is_current = 1 ORDER BY t.seq`,
  ),
  insertDetailed: sqlite.prepare(
    `INSERT INTO detailed_transactions
         (nom, date, reference, produit, quantite, prix_unitaire, remise, prix_unitaire_remise, total, solde)
       SELECT ?, t.date, t.reference, l.product, l.quantity, l.unit_price, l.discount, l.discounted_unit_price,
              l.total, t.balance
       FROM statements s
       JOIN transactions t ON t.statement_id = s.id
       JOIN product_lines l ON l.statement_id = t.statement_id AND l.transaction_seq = t.seq
       WHERE s.client_key = ? AND s.is_current = 1 ORDER BY t.seq, l.line_no`,
  ),
}));

function deleteSeedRows(sqlite: Database.Database, nom: string): void {
  const sql = statementsOf(sqlite);
  sql.deleteClientKey.run(nom);
  sql.deleteSolde.run(nom);
  sql.deleteSimple.run(nom);
  sql.deleteDetailed.run(nom);
}

/** Rewrites one customer's rows of the seed-compatible tables from its current statement. Call inside a transaction. */
export function rebuildSeedRows(sqlite: Database.Database, clientKey: string, nom: string): void {
  const sql = statementsOf(sqlite);
  deleteSeedRows(sqlite, nom);
  sql.insertClientKey.run(nom, clientKey);
  sql.insertSolde.run(nom, clientKey);
  sql.insertSimple.run(nom, clientKey);
  sql.insertDetailed.run(nom, clientKey);
}

/**
 * Recomputes every customer's seed name (homonyms get their key appended) and moves the seed rows of those
 * whose name changed. Returns the client keys that were renamed. Call inside a transaction.
 */
export function refreshSeedNames(sqlite: Database.Database): string[] {
  const sql = statementsOf(sqlite);
  const rows = sql.allCustomers.all() as Pick<CustomerRow, 'clientKey' | 'name' | 'seedName'>[];
  const wanted = seedNames(rows);
  const renamed = rows.filter((row) => wanted.get(row.clientKey) !== row.seedName);
  // Every old name goes before any new one is written: a new name may be another customer's old one.
  for (const row of renamed) deleteSeedRows(sqlite, row.seedName);
  for (const row of renamed) {
    const nom = wanted.get(row.clientKey)!;
    sql.setSeedName.run(nom, row.clientKey);
    rebuildSeedRows(sqlite, row.clientKey, nom);
  }
  return renamed.map((row) => row.clientKey);
}
