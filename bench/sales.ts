import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLogger } from '@pharma/shared/logger';
import { openSalesDatabase } from '../services/sales-etl/src/db/sales-database.js';
import { refreshAnalyses, runImport } from '../services/sales-etl/src/services/import.service.js';
import { serveSalesFiles, writeSalesFiles } from './_sales-files.js';

// Imports a generated 1 000 000-row sales CSV (plus products and stores) served over local HTTP, end to end,
// and times the sqlite3 CLI's raw `.import` of the same file into an equivalent table as the reference.
const SALES_ROWS = Number(process.env.SALES_BENCH_ROWS ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'sales-bench-'));
const log = (message: string) => process.stderr.write(`${message}\n`);

const { salesFile, bytes } = await writeSalesFiles(dir, SALES_ROWS);
log(`generated ${SALES_ROWS} sales (${bytes} bytes) in ${dir}`);
const server = await serveSalesFiles(dir);
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const db = openSalesDatabase(join(dir, 'data'));
const deps = {
  db,
  fetch: { allowPrivate: true, maxBytes: 2 ** 31, timeoutMs: 30_000, retries: 0, retryDelayMs: 100, maxRedirects: 0 },
  revenueTolerance: 0.01,
  logger: createLogger({ service: 'sales-bench', level: 'warn' }),
};
const urls = server.urls;

const cpuBefore = process.cpuUsage();
const eluBefore = performance.eventLoopUtilization();
const started = performance.now();
const result = await runImport(deps, {
  runId: 'bench-1',
  importId: 'bench-1',
  trigger: 'request',
  urls,
  conditional: false,
});
const importMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const elu = performance.eventLoopUtilization(eluBefore);
const sales = result.files.find((file) => file.kind === 'sales');
if (result.status !== 'succeeded' || sales?.inserted !== SALES_ROWS) {
  throw new Error(`import did not insert every row: ${JSON.stringify(result)}`);
}
log(`import: ${Math.round(importMs)} ms`);

const analysesStarted = performance.now();
await refreshAnalyses(db, result.runId);
const analysesMs = performance.now() - analysesStarted;

const againStarted = performance.now();
const again = await runImport(deps, {
  runId: 'bench-2',
  importId: 'bench-2',
  trigger: 'request',
  urls,
  conditional: false,
});
const reimportMs = performance.now() - againStarted;
const againSales = again.files.find((file) => file.kind === 'sales');
if (againSales?.inserted !== 0 || againSales.duplicates !== SALES_ROWS) throw new Error('re-import was not a no-op');
db.close();
server.close();

const cliDb = join(dir, 'cli.db');
const script = [
  'PRAGMA journal_mode=WAL;',
  'CREATE TABLE ventes (id_vente INTEGER PRIMARY KEY, id_produit INTEGER NOT NULL, id_magasin INTEGER NOT NULL, date_vente TEXT NOT NULL, quantite INTEGER NOT NULL, chiffre_affaires REAL NOT NULL);',
  `.import --csv --skip 1 ${salesFile} ventes`,
].join('\n');
const cliStarted = performance.now();
const cli = spawnSync('sqlite3', [cliDb], { input: script, encoding: 'utf8' });
const cliMs = performance.now() - cliStarted;
if (cli.status !== 0) throw new Error(`sqlite3 failed: ${cli.stderr}`);
rmSync(dir, { recursive: true, force: true });

console.log(
  JSON.stringify({
    rows: SALES_ROWS,
    rows_per_s: Math.round(SALES_ROWS / (importMs / 1000)),
    import_ms: Math.round(importMs),
    // CPU time of this process (importer and the local HTTP server) during the import; far below import_ms
    // means the process was waiting, typically for a CPU shared with other work.
    import_cpu_ms: Math.round((cpu.user + cpu.system) / 1000),
    // Share of the import the event loop was busy (1 = never waiting for the network or the disk).
    import_event_loop_utilization: Math.round(elu.utilization * 100) / 100,
    reimport_rows_per_s: Math.round(SALES_ROWS / (reimportMs / 1000)),
    analyses_ms: Math.round(analysesMs),
    sqlite_import_rows_per_s: Math.round(SALES_ROWS / (cliMs / 1000)),
    sqlite_import_ms: Math.round(cliMs),
  }),
);
