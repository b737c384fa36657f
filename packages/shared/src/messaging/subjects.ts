import type { Static, TSchema } from '@sinclair/typebox';
import * as events from '../contracts/events.js';

export interface StreamDefinition {
  subjects: string[];
  description: string;
  maxAgeDays: number;
}

/** JetStream streams, one per domain. Only NATS 2.9 features (no compression, no metadata, single filters). */
export const STREAMS = {
  SOBRUS: { subjects: ['sobrus.>'], description: 'Sobrus customers and statements pipeline', maxAgeDays: 7 },
  STORAGE: { subjects: ['storage.>'], description: 'Pharmacy database replication facts', maxAgeDays: 7 },
  SALES: { subjects: ['sales.>'], description: 'Sales CSV imports and analyses', maxAgeDays: 7 },
  REGISTRY: { subjects: ['registry.>'], description: 'Distributor file registry', maxAgeDays: 7 },
  ORCHESTRATOR: { subjects: ['orchestrator.>'], description: 'Conversion runs and tasks', maxAgeDays: 7 },
} as const satisfies Record<string, StreamDefinition>;

export type StreamName = keyof typeof STREAMS;

export interface EventDefinition<T extends TSchema = TSchema> {
  schema: T;
  stream: StreamName;
  description: string;
  /** Deliveries before a message is given up (and logged). */
  maxDeliver: number;
  ackWaitMs: number;
}

const event = <T extends TSchema>(
  schema: T,
  stream: StreamName,
  description: string,
  delivery: { maxDeliver?: number; ackWaitMs?: number } = {},
): EventDefinition<T> => ({ schema, stream, description, maxDeliver: 10, ackWaitMs: 30_000, ...delivery });

// Long handlers (a whole scraping job, a PDF parse) tell the server they are alive every third of their ack
// wait, so the ack wait only bounds how long a message held by a crashed process waits before another process
// takes it up: 30 s, not minutes. A service re-adding its durable consumer at start updates an existing one.
/** Every JetStream subject of the platform with its payload schema: a public, versioned API. */
export const EVENTS = {
  'sobrus.clients.refresh.requested': event(
    events.ClientsRefreshRequested,
    'SOBRUS',
    'A pharmacy asked for its customer list to be collected again',
    { ackWaitMs: 30_000, maxDeliver: 3 },
  ),
  'sobrus.clients.extracted': event(events.ClientsExtracted, 'SOBRUS', 'The full customer list of a pharmacy'),
  'sobrus.statements.refresh.requested': event(
    events.StatementsRefreshRequested,
    'SOBRUS',
    'A pharmacy asked for statements of a period to be downloaded',
    { ackWaitMs: 30_000, maxDeliver: 3 },
  ),
  'sobrus.statement.pdf.ready': event(
    events.StatementPdfReady,
    'SOBRUS',
    'A statement PDF is in the object store, ready to parse',
    { ackWaitMs: 30_000 },
  ),
  'sobrus.statement.parsed': event(events.StatementParsed, 'SOBRUS', 'A statement parsed and reconciled'),
  'sobrus.statement.failed': event(events.StatementFailed, 'SOBRUS', 'A statement could not be downloaded or parsed'),
  'storage.snapshot.uploaded': event(events.SnapshotUploaded, 'STORAGE', 'A pharmacy database generation is in S3'),
  'sales.import.requested': event(events.SalesImportRequested, 'SALES', 'Import CSV files from URLs', {
    ackWaitMs: 300_000,
    maxDeliver: 3,
  }),
  'sales.import.completed': event(events.SalesImportCompleted, 'SALES', 'An import finished, with counts'),
  'sales.analyses.updated': event(events.SalesAnalysesUpdated, 'SALES', 'Analyses recomputed after an import'),
  'registry.scan.requested': event(events.RegistryScanRequested, 'REGISTRY', 'Scan the intake tree now', {
    ackWaitMs: 300_000,
    maxDeliver: 3,
  }),
  'registry.file.registered': event(events.RegistryFileRegistered, 'REGISTRY', 'A new distributor file'),
  'registry.scan.completed': event(events.RegistryScanCompleted, 'REGISTRY', 'A scan finished, with totals'),
  'registry.report.missing': event(
    events.RegistryReportMissing,
    'REGISTRY',
    'An expected report passed its deadline without a file',
  ),
  'orchestrator.run.requested': event(events.OrchestratorRunRequested, 'ORCHESTRATOR', 'Run pending tasks now', {
    ackWaitMs: 300_000,
    maxDeliver: 3,
  }),
  'orchestrator.task.updated': event(events.OrchestratorTaskUpdated, 'ORCHESTRATOR', 'A task changed status'),
  'orchestrator.run.completed': event(events.OrchestratorRunCompleted, 'ORCHESTRATOR', 'A run finished, with counts'),
} as const;

export type EventSubject = keyof typeof EVENTS;
export type EventPayload<S extends EventSubject> = Static<(typeof EVENTS)[S]['schema']>;
