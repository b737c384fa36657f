import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureLogs } from '@pharma/testkit';
import type { FetchConfig } from '../../src/config.js';
import { openSalesDatabase, type SalesDatabase } from '../../src/db/sales-database.js';
import { type ImportDeps, type ImportRequest, runImport } from '../../src/services/import.service.js';

export interface ImportHarness {
  db: SalesDatabase;
  deps: ImportDeps;
  run(urls: ImportRequest['urls'], options?: Partial<ImportRequest>): ReturnType<typeof runImport>;
  tableCounts(): { produits: number; magasins: number; ventes: number };
  rejectsOf(runId: string): { line: number; raw: string; reason: string; message: string }[];
  close(): void;
}

let runs = 0;

/** A fresh sales.db in its own folder, and the import service around it. */
export function createImportHarness(fetch: Partial<FetchConfig> = {}): ImportHarness {
  const dir = mkdtempSync(join(tmpdir(), 'sales-etl-test-'));
  const db = openSalesDatabase(dir);
  const deps: ImportDeps = {
    db,
    fetch: {
      allowPrivate: true,
      maxBytes: 10_000_000,
      timeoutMs: 5_000,
      retries: 1,
      retryDelayMs: 10,
      maxRedirects: 3,
      ...fetch,
    },
    revenueTolerance: 0.01,
    logger: captureLogs('sales-etl').logger,
  };
  const count = (table: string) => (db.reader.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  return {
    db,
    deps,
    run(urls, options = {}) {
      const id = `run-${++runs}`;
      return runImport(deps, { runId: id, importId: id, trigger: 'request', urls, conditional: false, ...options });
    },
    tableCounts: () => ({ produits: count('produits'), magasins: count('magasins'), ventes: count('ventes') }),
    rejectsOf: (runId) =>
      db.reader
        .prepare(
          'SELECT line_number AS line, raw_line AS raw, reason, message FROM rejects WHERE run_id = ? ORDER BY id',
        )
        .all(runId) as { line: number; raw: string; reason: string; message: string }[],
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The counts of one file of a result, for exact assertions. */
export function countsOf(result: Awaited<ReturnType<typeof runImport>>, kind: 'products' | 'stores' | 'sales') {
  const file = result.files.find((entry) => entry.kind === kind);
  if (!file) return undefined;
  return {
    outcome: file.outcome,
    read: file.read,
    inserted: file.inserted,
    duplicates: file.duplicates,
    rejected: file.rejected,
  };
}
