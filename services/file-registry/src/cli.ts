#!/usr/bin/env node
// Command line for the intake team: generate the folder tree and scan it without the running service.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createPgPool, migratePostgres } from '@pharma/shared/db';
import { createLogger } from '@pharma/shared/logger';
import { connectNats, ensureStreams } from '@pharma/shared/messaging';
import { MIGRATIONS_FOLDER } from './app.js';
import { parseNameList, parseNumberList, readTreeSpec } from './cli/tree-spec.file.js';
import { loadConfig } from './config.js';
import { createRegistryDb } from './db/client.js';
import type { TreeSpecInput } from './domain/tree-spec.js';
import { natsScanEvents } from './services/registry-events.js';
import { runScan } from './services/scan.service.js';
import { generateTree } from './services/tree.service.js';

const USAGE = `usage:
  file-registry generate (--spec tree.yaml | --providers Сети,Дистрибьюторы --years 2025 [--months 1-12]
                          --clients "A,B" --report-types "Продажи,Остатки") [--root DIR] [--dry-run] [--no-seed]
  file-registry scan [--root DIR] [--publish]

Configuration (database, provider folders, extensions, settle window…) comes from the service's environment
variables; --root overrides REGISTRY_ROOT. generate seeds expected reports in DATABASE_URL unless --no-seed or
--dry-run; scan publishes registry.* events on NATS_URL only with --publish. Output is JSON.`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    spec: { type: 'string' },
    root: { type: 'string' },
    providers: { type: 'string' },
    years: { type: 'string' },
    months: { type: 'string' },
    clients: { type: 'string' },
    'report-types': { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    'no-seed': { type: 'boolean', default: false },
    publish: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

const command = positionals[0];
if (values.help || (command !== 'generate' && command !== 'scan')) {
  console.error(USAGE);
  process.exit(values.help ? 0 : 2);
}

const config = loadConfig({ ...process.env, ...(values.root ? { REGISTRY_ROOT: resolve(values.root) } : {}) });
const logger = createLogger({
  service: 'file-registry-cli',
  level: 'warn',
  pretty: false,
  destination: process.stderr,
});

try {
  const output = command === 'generate' ? await generate() : await scan();
  console.log(JSON.stringify(output, null, 2));
} catch (error) {
  console.error(`file-registry ${command}: ${(error as Error).message}`);
  process.exit(1);
}

async function specFromArguments(): Promise<TreeSpecInput> {
  if (values.spec) return readTreeSpec(values.spec);
  if (!values.providers || !values.years || !values.clients || !values['report-types']) {
    throw new Error(`give --spec, or --providers, --years, --clients and --report-types\n${USAGE}`);
  }
  const clients = parseNameList(values.clients);
  const reportTypes = parseNameList(values['report-types']);
  return {
    years: parseNumberList(values.years),
    months: values.months ? parseNumberList(values.months) : undefined,
    providers: parseNameList(values.providers).map((folder) => ({ folder, clients, reportTypes })),
  };
}

async function generate() {
  const spec = await specFromArguments();
  const seed = !values['dry-run'] && !values['no-seed'] && spec.seedExpected !== false;
  const pool = seed ? createPgPool(config.postgres.url, 2) : undefined;
  try {
    if (pool) await migratePostgres(pool, MIGRATIONS_FOLDER, 'file-registry');
    return await generateTree({
      root: config.scanner.root,
      providers: config.scanner.providerFolders,
      spec,
      dryRun: values['dry-run'],
      db: pool ? createRegistryDb(pool) : undefined,
    });
  } finally {
    await pool?.end();
  }
}

async function scan() {
  const pool = createPgPool(config.postgres.url, 2);
  const nats = values.publish
    ? await connectNats({ url: config.nats.url, prefix: config.nats.prefix, name: 'file-registry-cli' })
    : undefined;
  try {
    await migratePostgres(pool, MIGRATIONS_FOLDER, 'file-registry');
    if (nats) await ensureStreams(nats);
    const events = nats ? natsScanEvents(nats, config.scanner.publishConcurrency) : undefined;
    const result = await runScan({ pool, config: config.scanner, logger, events });
    if (result.status !== 'succeeded') process.exitCode = 1;
    return result;
  } finally {
    await pool.end();
    await nats?.nc.drain();
  }
}
