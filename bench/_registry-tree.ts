import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DEFAULT_PROVIDER_FOLDERS,
  parseProviderFolders,
} from '../services/file-registry/dist/domain/provider-folders.js';
import { planTree } from '../services/file-registry/dist/domain/tree-spec.js';
import { generateTree } from '../services/file-registry/dist/services/tree.service.js';

// The distributor intake tree of the benchmarks: 2 providers × 117 clients × 5 report types × 12 months of 2025
// (14 040 report folders), with small report files spread evenly over the folders, dated a day back so every
// one is stable at once.
const PROVIDERS = ['Сети', 'Дистрибьюторы'];
const CLIENTS = Array.from({ length: 117 }, (_, i) => `Клиент ${String(i + 1).padStart(3, '0')}`);
const REPORT_TYPES = ['Продажи', 'Остатки', 'Закупки', 'Возвраты', 'Цены'];

async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<unknown>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Generates the folders with the file registry's own generator, then writes `files` report files into them. */
export async function buildRegistryTree(
  root: string,
  files: number,
  progress: (message: string) => void = () => {},
): Promise<{ folders: number; files: number }> {
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
  const paths = Array.from({ length: files }, (_, i) => join(folders[i % folders.length]!, `report_${i}.xlsx`));
  await inParallel(paths, 64, async (file) => {
    await writeFile(file, 'article;qty\n1;2\n');
    await utimes(file, old, old);
  });
  return { folders: tree.folders, files };
}
