import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ValidationError } from '@pharma/shared/errors';
import type { RegistryDb } from '../db/client.js';
import type { ProviderFolders } from '../domain/provider-folders.js';
import { planTree, TreeSpecError, type TreeSpecInput } from '../domain/tree-spec.js';
import { addExpectedReports } from '../repositories/expected-reports.repository.js';

export interface GenerateTreeRequest {
  root: string;
  providers: ProviderFolders;
  spec: TreeSpecInput;
  dryRun?: boolean;
  /** Where expected reports are seeded; without it (or with `spec.seedExpected: false`) nothing is recorded. */
  db?: RegistryDb;
}

export interface GenerateTreeResult {
  dryRun: boolean;
  folders: number;
  created: number;
  existing: number;
  expectedSeeded: number;
  sample: string[];
}

const CONCURRENCY = 32;
const SAMPLE = 20;

/** Creates the intake tree; running it again creates nothing new. A dry run only reports what it would create. */
export async function generateTree(request: GenerateTreeRequest): Promise<GenerateTreeResult> {
  let plan: ReturnType<typeof planTree>;
  try {
    plan = planTree(request.spec, request.providers);
  } catch (error) {
    if (error instanceof TreeSpecError) throw new ValidationError(error.message);
    throw error;
  }
  const dryRun = request.dryRun === true;
  const missing: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < plan.folders.length) {
      const folder = plan.folders[next++]!;
      const absolute = join(request.root, folder);
      const exists = await stat(absolute).then(
        (stats) => stats.isDirectory(),
        () => false,
      );
      if (exists) continue;
      missing.push(folder);
      if (!dryRun) await mkdir(absolute, { recursive: true });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seed = !dryRun && request.db !== undefined && request.spec.seedExpected !== false;
  const expectedSeeded = seed ? await addExpectedReports(request.db!, plan.expected) : 0;
  return {
    dryRun,
    folders: plan.folders.length,
    created: missing.length,
    existing: plan.folders.length - missing.length,
    expectedSeeded,
    sample: missing.sort().slice(0, SAMPLE),
  };
}
