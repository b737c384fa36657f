import type { StatementParsed } from '@pharma/shared/contracts';
import type { Static } from '@sinclair/typebox';
import type Database from 'better-sqlite3';

type StatementEvent = Static<typeof StatementParsed>;

/** What a mail says, frozen when the statement version is stored: a later parse never changes a queued mail. */
export interface AlertContent {
  clientKey: string;
  customerName: string;
  from: string;
  to: string;
  verdict: 'ok_with_anomalies' | 'mismatch';
  openingBalance: number;
  closingBalance: number;
  computedClosingBalance: number;
  anomalies: { kind: string; message: string; page?: number; line?: number; reference?: string }[];
  sourceSha256: string;
}

export interface PendingAlert {
  id: number;
  content: AlertContent;
  attempts: number;
}

/*
 * The outbox lives in the pharmacy's own database so that queuing an alert commits with its statement, and is
 * created here rather than by a migration: it is bookkeeping of this feature, not part of the statement schema.
 * One row per statement version (customer, period, source file): a replay, or the same file downloaded again,
 * finds its row and queues nothing.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS alert_outbox (
    id INTEGER PRIMARY KEY,
    client_key TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,
    verdict TEXT NOT NULL,
    content TEXT NOT NULL,
    queued_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    sent_at TEXT,
    failed_at TEXT,
    message_id TEXT,
    UNIQUE (client_key, period_from, period_to, source_sha256)
  );
  CREATE INDEX IF NOT EXISTS alert_outbox_pending ON alert_outbox (id) WHERE sent_at IS NULL AND failed_at IS NULL;
`;

const ready = new WeakSet<Database.Database>();

export function ensureAlertOutbox(sqlite: Database.Database): void {
  if (ready.has(sqlite)) return;
  sqlite.exec(SCHEMA);
  ready.add(sqlite);
}

export function needsAlert(verdict: string): verdict is AlertContent['verdict'] {
  return verdict === 'ok_with_anomalies' || verdict === 'mismatch';
}

/** Queues the alert of a newly stored statement version; call inside the transaction that stores it. */
export function queueAlert(sqlite: Database.Database, event: StatementEvent, now = new Date()): boolean {
  const { statement } = event;
  if (!needsAlert(statement.verdict)) return false;
  ensureAlertOutbox(sqlite);
  const content: AlertContent = {
    clientKey: event.clientKey,
    customerName: event.customerName,
    from: event.from,
    to: event.to,
    verdict: statement.verdict,
    openingBalance: statement.openingBalance,
    closingBalance: statement.closingBalance,
    computedClosingBalance: statement.computedClosingBalance,
    anomalies: statement.anomalies,
    sourceSha256: event.sourceSha256,
  };
  const inserted = sqlite
    .prepare(
      `INSERT INTO alert_outbox (client_key, period_from, period_to, source_sha256, verdict, content, queued_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    )
    .run(
      event.clientKey,
      event.from,
      event.to,
      event.sourceSha256,
      statement.verdict,
      JSON.stringify(content),
      now.toISOString(),
    );
  return inserted.changes > 0;
}

export function pendingAlerts(sqlite: Database.Database, limit: number): PendingAlert[] {
  ensureAlertOutbox(sqlite);
  const rows = sqlite
    .prepare(
      `SELECT id, content, attempts FROM alert_outbox WHERE sent_at IS NULL AND failed_at IS NULL ORDER BY id LIMIT ?`,
    )
    .all(limit) as { id: number; content: string; attempts: number }[];
  return rows.map((row) => ({ id: row.id, attempts: row.attempts, content: JSON.parse(row.content) as AlertContent }));
}

export function markAlertSent(sqlite: Database.Database, id: number, messageId: string, now = new Date()): void {
  sqlite
    .prepare(
      'UPDATE alert_outbox SET sent_at = ?, message_id = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?',
    )
    .run(now.toISOString(), messageId, id);
}

export function markAlertAttemptFailed(
  sqlite: Database.Database,
  id: number,
  error: string,
  permanent: boolean,
  now = new Date(),
): void {
  sqlite
    .prepare('UPDATE alert_outbox SET attempts = attempts + 1, last_error = ?, failed_at = ? WHERE id = ?')
    .run(error.slice(0, 1000), permanent ? now.toISOString() : null, id);
}
