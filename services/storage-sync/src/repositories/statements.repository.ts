import type { StatementParsed } from '@pharma/shared/contracts';
import type { Static } from '@sinclair/typebox';
import type Database from 'better-sqlite3';
import { bumpChangeSeq } from '../db/pharmacy-database.js';
import { preparedPerConnection } from '../db/prepared-statements.js';
import {
  decideStatementWrite,
  normaliseInstant,
  type StatementVersion,
  type StatementWrite,
} from '../domain/statement-version.js';
import { ensureCustomer, seedNameOf } from './customers.repository.js';
import { rebuildSeedRows, refreshSeedNames } from './seed-tables.repository.js';

type StatementEvent = Static<typeof StatementParsed>;

export interface StoreStatementResult {
  outcome: StatementWrite;
  statementId?: number;
  transactions: number;
}

const statementsOf = preparedPerConnection((sqlite) => ({
  find: sqlite.prepare(
    `SELECT id, downloaded_at AS downloadedAt, parsed_at AS parsedAt, source_sha256 AS sourceSha256
       FROM statements WHERE client_key = ? AND period_from = ? AND period_to = ?`,
  ),
  insert: sqlite.prepare(
    `INSERT INTO statements (client_key, period_from, period_to, opening_balance, closing_balance,
         computed_closing_balance, verdict, pages, source_sha256, downloaded_at, parsed_at, job_id, is_current)
       VALUES (@clientKey, @from, @to, @opening, @closing, @computed, @verdict, @pages, @sourceSha256,
         @downloadedAt, @parsedAt, @jobId, 0)`,
  ),
  update: sqlite.prepare(
    `UPDATE statements SET opening_balance = @opening, closing_balance = @closing,
         computed_closing_balance = @computed, verdict = @verdict, pages = @pages, source_sha256 = @sourceSha256,
         downloaded_at = @downloadedAt, parsed_at = @parsedAt, job_id = @jobId
       WHERE id = @id`,
  ),
  deleteTransactions: sqlite.prepare('DELETE FROM transactions WHERE statement_id = ?'),
  deleteLines: sqlite.prepare('DELETE FROM product_lines WHERE statement_id = ?'),
  deleteAnomalies: sqlite.prepare('DELETE FROM anomalies WHERE statement_id = ?'),
  insertTransaction: sqlite.prepare(
    `INSERT INTO transactions (statement_id, seq, client_key, date, reference, label, kind, total, effect, balance, page)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  insertLine: sqlite.prepare(
    `INSERT INTO product_lines (statement_id, transaction_seq, line_no, client_key, product, quantity, unit_price,
         discount, discounted_unit_price, total)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  insertAnomaly: sqlite.prepare(
    `INSERT INTO anomalies (statement_id, seq, client_key, kind, message, page, line, reference)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  markCurrent: sqlite.prepare(
    `UPDATE statements SET is_current = (id = (
         SELECT id FROM statements WHERE client_key = @clientKey ORDER BY period_to DESC, period_from ASC LIMIT 1))
       WHERE client_key = @clientKey`,
  ),
}));

/**
 * Stores a parsed statement: in one transaction it replaces that customer's rows for that period. A redelivery
 * or replay changes nothing, and a parse older (by download, then parse time) than the stored one is ignored.
 */
export function storeStatement(
  sqlite: Database.Database,
  event: StatementEvent,
  /** Runs inside the storing transaction, only when this version is written (insert or replace). */
  onWritten?: (sqlite: Database.Database, event: StatementEvent) => void,
): StoreStatementResult {
  const sql = statementsOf(sqlite);
  const incoming: StatementVersion = {
    downloadedAt: normaliseInstant(event.downloadedAt),
    parsedAt: normaliseInstant(event.parsedAt),
    sourceSha256: event.sourceSha256,
  };
  const { statement } = event;
  return sqlite.transaction((): StoreStatementResult => {
    const stored = sql.find.get(event.clientKey, event.from, event.to) as
      | (StatementVersion & { id: number })
      | undefined;
    const outcome = decideStatementWrite(stored, incoming);
    if (outcome === 'duplicate' || outcome === 'stale') {
      return { outcome, statementId: stored?.id, transactions: 0 };
    }
    const newCustomer = ensureCustomer(sqlite, event.clientKey, event.customerName);
    const row = {
      clientKey: event.clientKey,
      from: event.from,
      to: event.to,
      opening: statement.openingBalance,
      closing: statement.closingBalance,
      computed: statement.computedClosingBalance,
      verdict: statement.verdict,
      pages: statement.pages,
      sourceSha256: event.sourceSha256,
      downloadedAt: incoming.downloadedAt,
      parsedAt: incoming.parsedAt,
      jobId: event.jobId,
    };
    let id: number;
    if (stored) {
      id = stored.id;
      sql.update.run({ ...row, id });
      sql.deleteTransactions.run(id);
      sql.deleteLines.run(id);
      sql.deleteAnomalies.run(id);
    } else {
      id = Number(sql.insert.run(row).lastInsertRowid);
    }
    statement.transactions.forEach((t, seq) => {
      sql.insertTransaction.run(
        id,
        seq,
        event.clientKey,
        t.date,
        t.reference,
        t.label,
        t.kind,
        t.total,
        t.effect,
        t.balance,
        t.page,
      );
      t.lines.forEach((l, lineNo) => {
        sql.insertLine.run(
          id,
          seq,
          lineNo,
          event.clientKey,
          l.product,
          l.quantity,
          l.unitPrice,
          l.discount,
          l.discountedUnitPrice,
          l.total,
        );
      });
    });
    statement.anomalies.forEach((a, seq) => {
      sql.insertAnomaly.run(
        id,
        seq,
        event.clientKey,
        a.kind,
        a.message,
        a.page ?? null,
        a.line ?? null,
        a.reference ?? null,
      );
    });
    sql.markCurrent.run({ clientKey: event.clientKey });
    const renamed = newCustomer ? refreshSeedNames(sqlite) : [];
    if (!renamed.includes(event.clientKey))
      rebuildSeedRows(sqlite, event.clientKey, seedNameOf(sqlite, event.clientKey));
    onWritten?.(sqlite, event);
    bumpChangeSeq(sqlite);
    return { outcome, statementId: id, transactions: statement.transactions.length };
  })();
}
