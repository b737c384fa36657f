import { sql } from 'drizzle-orm';
import {
  bigserial,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgSchema,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

export const ops = pgSchema('ops');
export const raw = pgSchema('raw');

/** One orchestrator run (its id is the job id): trigger, outcome and counts per status/reason. */
export const orchestratorRuns = ops.table(
  'orchestrator_runs',
  {
    id: text('id').primaryKey(),
    trigger: text('trigger').notNull(),
    lockScope: text('lock_scope').notNull(),
    status: text('status').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    counts: jsonb('counts').$type<Record<string, number>>().notNull().default({}),
    error: text('error'),
  },
  (t) => [index('orchestrator_runs_started_idx').on(t.startedAt)],
);

/** History of every attempt at a registry file: one row per attempt, kept after the file succeeds. */
export const taskRuns = ops.table(
  'task_runs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    runId: text('run_id').notNull(),
    fileId: integer('file_id').notNull(),
    filePath: text('file_path').notNull(),
    attempt: integer('attempt').notNull(),
    /** running, then the registry status written (PROCESSING, CREATED, ERROR), or ABANDONED after a crash. */
    status: text('status').notNull(),
    reason: text('reason'),
    detail: text('detail'),
    script: text('script'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    durationMs: integer('duration_ms'),
    scriptMs: integer('script_ms'),
    exitCode: integer('exit_code'),
    outputFile: text('output_file'),
    readyFile: text('ready_file'),
    rowsLoaded: integer('rows_loaded'),
    stdoutTail: text('stdout_tail'),
    stderrTail: text('stderr_tail'),
  },
  (t) => [index('task_runs_file_idx').on(t.fileId, t.attempt), index('task_runs_run_idx').on(t.runId)],
);

/** The primary data: the columns of report_header.xlsx plus where each row came from. */
export const primaryData = raw.table(
  'primary_data',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    sourceFile: text('source_file').notNull(),
    supplierFilial: text('supplier_filial'),
    clientInlaw: text('client_inlaw'),
    clientRegion: text('client_region'),
    clientCity: text('client_city'),
    clientAdress: text('client_adress'),
    tms: text('tms'),
    clientInn: text('client_inn'),
    amountType1: numeric('amount_type_1'),
    clientIdIsh: text('client_id_ish'),
    filenameIsh: text('filename_ish'),
    reportProviderName: text('report_provider_name'),
    period: date('period'),
    reportProvaider: text('Report_Provaider'),
    market: text('market'),
    clientType: text('client_type'),
    clientName: text('client_name'),
    supplierName: text('supplier_name'),
    tmsIdIsh: text('tms_id_ish'),
    mnf: text('mnf'),
    naklad: text('naklad'),
    amountType2: numeric('amount_type_2'),
    amountType3: numeric('amount_type_3'),
    amountType4: numeric('amount_type_4'),
    amountType5: numeric('amount_type_5'),
    dateGodnost: date('date_godnost'),
    sumNoNds: numeric('sum_no_nds'),
    sumNds: numeric('sum_nds'),
  },
  (t) => [index('primary_data_source_idx').on(t.sourceFile)],
);

/** One row per loaded source file (unique): a reload replaces the file's rows instead of adding to them. */
export const primaryDataLoads = raw.table(
  'primary_data_loads',
  {
    id: serial('id').primaryKey(),
    sourceFile: text('source_file').notNull(),
    registryFileId: integer('registry_file_id'),
    readyFile: text('ready_file').notNull(),
    rows: integer('rows').notNull(),
    loadedAt: timestamp('loaded_at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [uniqueIndex('primary_data_loads_source_idx').on(t.sourceFile)],
);
