import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// The three business tables keep the names and columns of the original SME design.
export const produits = sqliteTable('produits', {
  idProduit: integer('id_produit').primaryKey(),
  nom: text('nom').notNull(),
  prix: real('prix').notNull(),
});

export const magasins = sqliteTable('magasins', {
  idMagasin: integer('id_magasin').primaryKey(),
  ville: text('ville').notNull(),
});

// No secondary index on ventes: it would slow bulk loads, and every analysis scans the whole table anyway.
export const ventes = sqliteTable('ventes', {
  idVente: integer('id_vente').primaryKey(),
  idProduit: integer('id_produit')
    .notNull()
    .references(() => produits.idProduit),
  idMagasin: integer('id_magasin')
    .notNull()
    .references(() => magasins.idMagasin),
  dateVente: text('date_vente').notNull(),
  quantite: integer('quantite').notNull(),
  chiffreAffaires: real('chiffre_affaires').notNull(),
});

/** One row per execution of an import (a request, or one tick of a schedule). */
export const importRuns = sqliteTable(
  'import_runs',
  {
    id: text('id').primaryKey(),
    importId: text('import_id').notNull(),
    jobId: text('job_id'),
    scheduleId: text('schedule_id'),
    trigger: text('trigger', { enum: ['request', 'schedule'] }).notNull(),
    status: text('status', { enum: ['running', 'succeeded', 'failed', 'cancelled'] }).notNull(),
    urls: text('urls', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at'),
    error: text('error'),
  },
  (table) => [index('import_runs_started_at_idx').on(table.startedAt)],
);

/** What happened to each file of a run, including files skipped because they had not changed. */
export const importFiles = sqliteTable(
  'import_files',
  {
    runId: text('run_id').notNull(),
    kind: text('kind', { enum: ['products', 'stores', 'sales'] }).notNull(),
    url: text('url').notNull(),
    outcome: text('outcome', { enum: ['imported', 'unchanged', 'failed', 'rolled_back'] }).notNull(),
    encoding: text('encoding'),
    delimiter: text('delimiter'),
    bytes: integer('bytes').notNull().default(0),
    read: integer('read').notNull().default(0),
    inserted: integer('inserted').notNull().default(0),
    duplicates: integer('duplicates').notNull().default(0),
    rejected: integer('rejected').notNull().default(0),
    error: text('error'),
  },
  (table) => [primaryKey({ columns: [table.runId, table.kind] })],
);

/** Rows that could not be imported, kept verbatim with their reason. */
export const rejects = sqliteTable(
  'rejects',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    runId: text('run_id').notNull(),
    kind: text('kind', { enum: ['products', 'stores', 'sales'] }).notNull(),
    url: text('url').notNull(),
    lineNumber: integer('line_number').notNull(),
    rawLine: text('raw_line').notNull(),
    reason: text('reason').notNull(),
    message: text('message').notNull(),
  },
  (table) => [index('rejects_run_idx').on(table.runId, table.id)],
);

/** Validators of the last successfully imported version of a URL, for conditional requests. */
export const httpValidators = sqliteTable('http_validators', {
  url: text('url').primaryKey(),
  etag: text('etag'),
  lastModified: text('last_modified'),
  updatedAt: text('updated_at').notNull(),
});

export const schedules = sqliteTable('schedules', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  cron: text('cron').notNull(),
  timezone: text('timezone'),
  urls: text('urls', { mode: 'json' }).$type<Record<string, string>>().notNull(),
  owner: text('owner').notNull(),
  createdAt: text('created_at').notNull(),
  lastRunId: text('last_run_id'),
  lastRunAt: text('last_run_at'),
});

/** Analyses computed after each import run, kept per run. */
export const analyses = sqliteTable('analyses', {
  runId: text('run_id').primaryKey(),
  computedAt: text('computed_at').notNull(),
  salesCount: integer('sales_count').notNull(),
  totalRevenue: real('total_revenue').notNull(),
  quantityPerProduct: text('quantity_per_product', { mode: 'json' }).notNull(),
  revenuePerCity: text('revenue_per_city', { mode: 'json' }).notNull(),
  revenuePerMonth: text('revenue_per_month', { mode: 'json' }).notNull(),
  topProducts: text('top_products', { mode: 'json' }).notNull(),
  averageBasketPerStore: text('average_basket_per_store', { mode: 'json' }).notNull(),
});
