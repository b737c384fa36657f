// Scans a 14 040-folder intake tree with 100 000 files twice against the machine's PostgreSQL:
// the first scan registers every file, the second finds nothing new. Prints { first_scan_s, rescan_s } last.
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgPool, migratePostgres } from '@pharma/shared/db';
import { createLogger } from '@pharma/shared/logger';
import { MIGRATIONS_FOLDER } from '../services/file-registry/dist/app.js';
import { loadConfig } from '../services/file-registry/dist/config.js';
import {
  DEFAULT_PROVIDER_FOLDERS,
  parseProviderFolders,
} from '../services/file-registry/dist/domain/provider-folders.js';
import { planTree } from '../services/file-registry/dist/domain/tree-spec.js';
import { runScan } from '../services/file-registry/dist/services/scan.service.js';
import { generateTree } from '../services/file-registry/dist/services/tree.service.js';
import { withScratchDatabase } from './_scratch-database.js';

const FILES = 100_000;
const PROVIDERS = ['Сети', 'Дистрибьюторы'];
const CLIENTS = Array.from({ length: 117 }, (_, i) => `Клиент ${String(i + 1).padStart(3, '0')}`);
const REPORT_TYPES = ['Продажи', 'Остатки', 'Закупки', 'Возвраты', 'Цены'];

const progress = (message: string) => process.stderr.write(`${message}\n`);

async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<unknown>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function buildTree(root: string): Promise<number> {
  // The folders come from the service's own generator (the original "create 14 000 folders" script).
  const providers = parseProviderFolders(DEFAULT_PROVIDER_FOLDERS)!;
  const spec = {
    years: [2025],
    providers: PROVIDERS.map((folder) => ({ folder, clients: CLIENTS, reportTypes: REPORT_TYPES })),
  };
  const started = performance.now();
  const tree = await generateTree({ root, providers, spec });
  progress(`generated ${tree.created} folders in ${((performance.now() - started) / 1000).toFixed(2)} s`);
  const folders = planTree(spec, providers).folders.map((folder) => join(root, folder));
  const old = new Date(Date.now() - 86_400_000);
  const files = Array.from({ length: FILES }, (_, i) => join(folders[i % folders.length]!, `report_${i}.xlsx`));
  await inParallel(files, 64, async (file) => {
    await writeFile(file, 'article;qty\n1;2\n');
    await utimes(file, old, old);
  });
  return tree.folders;
}

const root = await mkdtemp(join(tmpdir(), 'registry-bench-'));
try {
  progress('building the tree…');
  const folders = await buildTree(root);
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
