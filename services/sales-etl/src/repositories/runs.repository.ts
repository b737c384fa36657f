import { and, count, desc, eq, sql } from 'drizzle-orm';
import type { SalesDrizzle } from '../db/sales-database.js';
import { importFiles, importRuns, rejects } from '../db/schema.js';
import type { FileKind } from '../domain/header-mapping.js';

export type RunRow = typeof importRuns.$inferSelect;
export type FileRow = typeof importFiles.$inferInsert;

export function startRun(db: SalesDrizzle, run: typeof importRuns.$inferInsert): void {
  // A run interrupted by a crash is started again under the same id; its uncommitted work is already gone.
  db.delete(importFiles).where(eq(importFiles.runId, run.id)).run();
  db.insert(importRuns)
    .values(run)
    .onConflictDoUpdate({ target: importRuns.id, set: { status: run.status, startedAt: run.startedAt, error: null } })
    .run();
}

export function finishRun(
  db: SalesDrizzle,
  id: string,
  outcome: { status: RunRow['status']; error?: string; files: FileRow[] },
): void {
  db.transaction((tx) => {
    tx.update(importRuns)
      .set({ status: outcome.status, error: outcome.error ?? null, finishedAt: new Date().toISOString() })
      .where(eq(importRuns.id, id))
      .run();
    if (outcome.files.length > 0) tx.insert(importFiles).values(outcome.files).run();
  });
}

export const INTERRUPTED = 'INTERRUPTED';

/** Runs left "running" by a stop in the middle of an import: their transaction is gone, say so. */
export function markInterruptedRuns(db: SalesDrizzle): number {
  return db
    .update(importRuns)
    .set({
      status: 'failed',
      error: `${INTERRUPTED}: the service stopped during the import`,
      finishedAt: new Date().toISOString(),
    })
    .where(eq(importRuns.status, 'running'))
    .run().changes;
}

export function findRun(db: SalesDrizzle, id: string): RunRow | undefined {
  return db.select().from(importRuns).where(eq(importRuns.id, id)).get();
}

export function listRuns(db: SalesDrizzle, page: { limit: number; offset: number }) {
  const runs = db
    .select()
    .from(importRuns)
    .orderBy(desc(importRuns.startedAt), desc(importRuns.id))
    .limit(page.limit)
    .offset(page.offset)
    .all();
  const total = db.select({ n: count() }).from(importRuns).get()?.n ?? 0;
  const files = runs.length
    ? db
        .select()
        .from(importFiles)
        .where(sql`${importFiles.runId} IN ${runs.map((run) => run.id)}`)
        .all()
    : [];
  return { runs, files, total };
}

export function listRejects(
  db: SalesDrizzle,
  filter: { runId: string; kind?: FileKind; limit: number; offset: number },
) {
  const where = filter.kind
    ? and(eq(rejects.runId, filter.runId), eq(rejects.kind, filter.kind))
    : eq(rejects.runId, filter.runId);
  const items = db
    .select()
    .from(rejects)
    .where(where)
    .orderBy(rejects.id)
    .limit(filter.limit)
    .offset(filter.offset)
    .all();
  const total = db.select({ n: count() }).from(rejects).where(where).get()?.n ?? 0;
  return { items, total };
}
