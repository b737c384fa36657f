import { desc } from 'drizzle-orm';
import type { SalesDrizzle } from '../db/sales-database.js';
import { analyses } from '../db/schema.js';
import type { Analyses } from '../services/analyses.js';

export function saveAnalyses(db: SalesDrizzle, result: Analyses): void {
  db.insert(analyses).values(result).onConflictDoNothing().run();
}

export function latestAnalyses(db: SalesDrizzle): Analyses | undefined {
  return db.select().from(analyses).orderBy(desc(analyses.computedAt), desc(analyses.runId)).limit(1).get() as
    | Analyses
    | undefined;
}
