// Scans a 14 040-folder intake tree with 100 000 files twice against the machine's PostgreSQL:
// the first scan registers every file, the second finds nothing new. Prints { first_scan_s, rescan_s } last.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgPool, migratePostgres } from '@pharma/shared/db';
import { createLogger } from '@pharma/shared/logger';
import { MIGRATIONS_FOLDER } from '../services/file-registry/dist/app.js';
import { loadConfig } from '../services/file-registry/dist/config.js';
import { runScan } from '../services/file-registry/dist/services/scan.service.js';
import { buildRegistryTree } from './_registry-tree.js';
import { withScratchDatabase } from './_scratch-database.js';

const FILES = 100_000;

const progress = (message: string) => process.stderr.write(`${message}\n`);

const root = await mkdtemp(join(tmpdir(), 'registry-bench-'));
try {
  progress('building the tree…');
  const { folders } = await buildRegistryTree(root, FILES, progress);
  progress(`${folders} folders, ${FILES} files`);
  const figures = await withScratchDatabase('bench_registry', async (url) => {
    const pool = createPgPool(url, 4);
    try {
      await migratePostgres(pool, MIGRATIONS_FOLDER, 'file-registry');
      const config = loadConfig({ DATABASE_URL: url, REGISTRY_ROOT: root }).scanner;
      const logger = createLogger({ service: 'bench', level: 'warn', pretty: false });
      const timed = async () => {
        const started = performance.now();
        const result = await runScan({ pool, config, logger });
        return { seconds: (performance.now() - started) / 1000, result };
      };
      const first = await timed();
      progress(
        `first scan: ${first.seconds.toFixed(3)} s ${JSON.stringify(first.result.totals)} ${JSON.stringify(first.result.stageMs)}`,
      );
      const again = await timed();
      progress(
        `rescan: ${again.seconds.toFixed(3)} s ${JSON.stringify(again.result.totals)} ${JSON.stringify(again.result.stageMs)}`,
      );
      if (first.result.totals.new !== FILES || again.result.totals.new !== 0) throw new Error('unexpected totals');
      return { first_scan_s: round(first.seconds), rescan_s: round(again.seconds) };
    } finally {
      await pool.end();
    }
  });
  console.log(JSON.stringify(figures));
} finally {
  await rm(root, { recursive: true, force: true });
}

function round(seconds: number) {
  return Math.round(seconds * 1000) / 1000;
}
