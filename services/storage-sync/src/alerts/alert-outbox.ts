import type { StatementParsed } from '@pharma/shared/contracts';
import type { Static } from '@sinclair/typebox';
import type Database from 'better-sqlite3';
import type { AlertOutboxRow } from '../db/schema.js';

type StatementEvent = Static<typeof StatementParsed>;

/** What a mail says, frozen when the statement version is stored: a later parse never changes a queued mail. */
export interface AlertContent {
  clientKey: string;
  customerName: string;
  from: string;
  to: string;
  verdict: Exclude<StatementEvent['statement']['verdict'], 'ok'>;
  openingBalance: number;
  closingBalance: number;
  computedClosingBalance: number;
  anomalies: { kind: string; message: string; page?: number; line?: number; reference?: string }[];
  sourceSha256: string;
}

export interface PendingAlert extends Pick<AlertOutboxRow, 'id' | 'attempts'> {
  content: AlertContent;
}

/*
 * The outbox is the table `alert_outbox` of the pharmacy's own database (db/schema.ts, created by a migration), so
 * that queuing an alert commits with its statement. One row per statement version: a replay finds its row.
 */

export function needsAlert(verdict: string): verdict is AlertContent['verdict'] {
  return verdict === 'ok_with_anomalies' || verdict === 'mismatch';
}

/** Queues the alert of a newly stored statement version; call inside the transaction that stores it. */
export function queueAlert(sqlite: Database.Database, event: StatementEvent, now = new Date()): boolean {
  const { statement } = event;
  if (!needsAlert(statement.verdict)) return false;
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
  const rows = sqlite
    .prepare(
      `SELECT id, content, attempts FROM alert_outbox WHERE sent_at IS NULL AND failed_at IS NULL ORDER BY id LIMIT ?`,
    )
    .all(limit) as Pick<AlertOutboxRow, 'id' | 'content' | 'attempts'>[];
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
