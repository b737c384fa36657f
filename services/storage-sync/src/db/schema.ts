import type { TransactionKind, Verdict } from '@pharma/shared/contracts';
import type { Static } from '@sinclair/typebox';
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, unique, uniqueIndex } from 'drizzle-orm/sqlite-core';

// --- Seed-compatible tables: the original tool's four tables, columns unchanged. ---
// `nom` is the customer's name, or `Name (clientKey)` when two customers share that name.

export const clientKeys = sqliteTable('client_keys', {
  nom: text('nom').primaryKey(),
  clientKey: text('client_key'),
});

export const simpleTransactions = sqliteTable(
  'simple_transactions',
  {
    nom: text('nom'),
    date: text('date'),
    reference: text('reference'),
    libelle: text('libelle'),
    total: real('total'),
    solde: real('solde'),
  },
  (t) => [index('simple_transactions_nom').on(t.nom)],
);

export const detailedTransactions = sqliteTable(
  'detailed_transactions',
  {
    nom: text('nom'),
    date: text('date'),
    reference: text('reference'),
    produit: text('produit'),
    quantite: real('quantite'),
    prixUnitaire: real('prix_unitaire'),
    remise: real('remise'),
    prixUnitaireRemise: real('prix_unitaire_remise'),
    total: real('total'),
    solde: real('solde'),
  },
  (t) => [index('detailed_transactions_nom').on(t.nom)],
);

export const soldeFinal = sqliteTable('solde_final', {
  nom: text('nom').primaryKey(),
  solde: real('solde'),
});

// --- The product's own tables: everything keyed by client key. ---

export const customers = sqliteTable('customers', {
  clientKey: text('client_key').primaryKey(),
  name: text('name').notNull(),
  /** The `nom` this customer has in the seed-compatible tables. */
  seedName: text('seed_name').notNull(),
  email: text('email'),
  phone: text('phone'),
  organisme: text('organisme'),
  immatriculation: text('immatriculation'),
  /** `extractedAt` of the customer list that last set these details; null when only known from a statement. */
  detailsAt: text('details_at'),
});

export const statements = sqliteTable(
  'statements',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    clientKey: text('client_key').notNull(),
    periodFrom: text('period_from').notNull(),
    periodTo: text('period_to').notNull(),
    openingBalance: real('opening_balance').notNull(),
    closingBalance: real('closing_balance').notNull(),
    computedClosingBalance: real('computed_closing_balance').notNull(),
    verdict: text('verdict').$type<Static<typeof Verdict>>().notNull(),
    pages: integer('pages').notNull(),
    sourceSha256: text('source_sha256').notNull(),
    downloadedAt: text('downloaded_at').notNull(),
    parsedAt: text('parsed_at').notNull(),
    jobId: text('job_id').notNull(),
    /** The customer's statement that feeds balances and the seed tables: latest end date, widest on ties. */
    isCurrent: integer('is_current', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [
    uniqueIndex('statements_customer_period').on(t.clientKey, t.periodFrom, t.periodTo),
    index('statements_current').on(t.isCurrent, t.clientKey),
  ],
);

export const transactions = sqliteTable(
  'transactions',
  {
    statementId: integer('statement_id').notNull(),
    seq: integer('seq').notNull(),
    clientKey: text('client_key').notNull(),
    date: text('date').notNull(),
    reference: text('reference').notNull(),
    label: text('label').notNull(),
    kind: text('kind').$type<Static<typeof TransactionKind>>().notNull(),
    total: real('total').notNull(),
    effect: real('effect').notNull(),
    balance: real('balance').notNull(),
    page: integer('page').notNull(),
  },
  (t) => [primaryKey({ columns: [t.statementId, t.seq] }), index('transactions_customer_date').on(t.clientKey, t.date)],
);

export const productLines = sqliteTable(
  'product_lines',
  {
    statementId: integer('statement_id').notNull(),
    transactionSeq: integer('transaction_seq').notNull(),
    lineNo: integer('line_no').notNull(),
    clientKey: text('client_key').notNull(),
    product: text('product').notNull(),
    quantity: real('quantity').notNull(),
    unitPrice: real('unit_price').notNull(),
    discount: real('discount').notNull(),
    discountedUnitPrice: real('discounted_unit_price').notNull(),
    total: real('total').notNull(),
  },
  (t) => [primaryKey({ columns: [t.statementId, t.transactionSeq, t.lineNo] })],
);

export const anomalies = sqliteTable(
  'anomalies',
  {
    statementId: integer('statement_id').notNull(),
    seq: integer('seq').notNull(),
    clientKey: text('client_key').notNull(),
    kind: text('kind').notNull(),
    message: text('message').notNull(),
    page: integer('page'),
    line: integer('line'),
    reference: text('reference'),
  },
  (t) => [primaryKey({ columns: [t.statementId, t.seq] })],
);

/** Replication bookkeeping (pharmacy id, change counter, last generation in S3); not part of the logical data. */
export const syncMeta = sqliteTable('sync_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/*
 * E-mail alerts waiting to be sent (see alerts/alert-outbox.ts). In the pharmacy's own database so that queuing
 * an alert commits with its statement; one row per statement version (customer, period, source file), so a
 * replay, or the same file downloaded again, finds its row and queues nothing. `content` is the mail's content as
 * JSON, frozen when the version is stored. Created by a migration that leaves the table of older files alone
 * (they had it created by the alerts code itself, with the same definition).
 */
export const alertOutbox = sqliteTable(
  'alert_outbox',
  {
    id: integer('id').primaryKey(),
    clientKey: text('client_key').notNull(),
    periodFrom: text('period_from').notNull(),
    periodTo: text('period_to').notNull(),
    sourceSha256: text('source_sha256').notNull(),
    verdict: text('verdict').notNull(),
    content: text('content').notNull(),
    queuedAt: text('queued_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    sentAt: text('sent_at'),
    failedAt: text('failed_at'),
    messageId: text('message_id'),
  },
  (t) => [
    unique().on(t.clientKey, t.periodFrom, t.periodTo, t.sourceSha256),
    index('alert_outbox_pending').on(t.id).where(sql`${t.sentAt} IS NULL AND ${t.failedAt} IS NULL`),
  ],
);

// Row types, as drizzle maps each table (camelCase fields, booleans as booleans). Raw SQL in the repositories
// selects columns under these field names, so its results are typed from here rather than by hand.
export type ClientKeyRow = typeof clientKeys.$inferSelect;
export type CustomerRow = typeof customers.$inferSelect;
export type StatementRow = typeof statements.$inferSelect;
export type NewStatementRow = typeof statements.$inferInsert;
export type TransactionRow = typeof transactions.$inferSelect;
export type ProductLineRow = typeof productLines.$inferSelect;
export type AnomalyRow = typeof anomalies.$inferSelect;
export type SyncMetaRow = typeof syncMeta.$inferSelect;
export type AlertOutboxRow = typeof alertOutbox.$inferSelect;
