import type Database from 'better-sqlite3';
import type { FileKind } from '../domain/header-mapping.js';
import type { References, RejectReason } from '../domain/row-validation.js';

const SALES_PER_STATEMENT = 500;
const SALE_COLUMNS = 6;

/**
 * Prepared statements of an import, used inside its transaction. New rows go in with
 * `ON CONFLICT DO NOTHING`, so the change count tells inserted rows from duplicates.
 */
export class SalesWriter {
  private readonly insertProduct: Database.Statement;
  private readonly insertStore: Database.Statement;
  private readonly insertSale: Database.Statement;
  private readonly insertSales: Database.Statement;
  private readonly insertReject: Database.Statement;
  /** Values of queued sales, six per sale: validators push straight into it to avoid an array per row. */
  pending: unknown[] = [];

  constructor(private readonly db: Database.Database) {
    this.insertProduct = db.prepare(
      'INSERT INTO produits (id_produit, nom, prix) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    );
    this.insertStore = db.prepare('INSERT INTO magasins (id_magasin, ville) VALUES (?, ?) ON CONFLICT DO NOTHING');
    const sale = '(?, ?, ?, ?, ?, ?)';
    const head =
      'INSERT INTO ventes (id_vente, id_produit, id_magasin, date_vente, quantite, chiffre_affaires) VALUES ';
    this.insertSale = db.prepare(`${head}${sale} ON CONFLICT DO NOTHING`);
    this.insertSales = db.prepare(`${head}${Array(SALES_PER_STATEMENT).fill(sale).join(', ')} ON CONFLICT DO NOTHING`);
    this.insertReject = db.prepare(
      'INSERT INTO rejects (run_id, kind, url, line_number, raw_line, reason, message) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  /** Products with their price and stores known in the database (inside the current transaction). */
  loadReferences(): References {
    const productPrices = new Map<number, number>();
    for (const row of this.db.prepare('SELECT id_produit, prix FROM produits').raw().iterate()) {
      const [id, price] = row as [number, number];
      productPrices.set(id, price);
    }
    const stores = new Set<number>();
    for (const row of this.db.prepare('SELECT id_magasin FROM magasins').raw().iterate())
      stores.add((row as [number])[0]);
    return { productPrices, stores };
  }

  /** Returns whether the row was new. */
  addProduct(values: unknown[]): boolean {
    return this.insertProduct.run(values).changes === 1;
  }

  addStore(values: unknown[]): boolean {
    return this.insertStore.run(values).changes === 1;
  }

  /** Writes the queued sales once a full batch is queued; returns how many of them were new. */
  writeFullBatch(): number {
    if (this.pending.length < SALES_PER_STATEMENT * SALE_COLUMNS) return 0;
    const inserted = this.insertSales.run(this.pending).changes;
    this.pending.length = 0;
    return inserted;
  }

  /** Writes the queued sales; returns how many were new. */
  flushSales(): number {
    let inserted = 0;
    for (let i = 0; i < this.pending.length; i += SALE_COLUMNS) {
      inserted += this.insertSale.run(this.pending.slice(i, i + SALE_COLUMNS)).changes;
    }
    this.pending = [];
    return inserted;
  }

  discardPending(): void {
    this.pending = [];
  }

  addReject(
    runId: string,
    kind: FileKind,
    url: string,
    line: number,
    raw: string,
    reason: RejectReason,
    message: string,
  ) {
    this.insertReject.run(runId, kind, url, line, raw, reason, message);
  }
}
