// Storage-sync benchmark: storing 259 parsed statements (100 000 transactions) into a pharmacy database, and
// snapshot + compress + upload of a 50 MB database to a local S3-compatible server.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ClientsExtracted, StatementParsed } from '@pharma/shared/contracts';
import { createLogger } from '@pharma/shared/logger';
import type { Static } from '@sinclair/typebox';
import { openPharmacyDatabase, type PharmacyDatabase } from '../services/storage-sync/dist/db/pharmacy-database.js';
import { Replicator } from '../services/storage-sync/dist/replication/replicator.js';
import { createS3Client, SnapshotBucket } from '../services/storage-sync/dist/replication/snapshot-bucket.js';
import { storeCustomers } from '../services/storage-sync/dist/repositories/customers.repository.js';
import { storeStatement } from '../services/storage-sync/dist/repositories/statements.repository.js';

type StatementEvent = Static<typeof StatementParsed>;
type Transaction = StatementEvent['statement']['transactions'][number];

const CUSTOMERS = 259;
const TRANSACTIONS = 100_000;
const TARGET_DB_BYTES = 50 * 1024 * 1024;
const PHARMACY = 'bench@example.ma';
const RUNS = 3;

const round2 = (value: number) => Math.round(value * 100) / 100;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const log = (message: string) => process.stderr.write(`${message}\n`);

function statement(
  clientKey: string,
  count: number,
  period: { from: string; to: string },
  seed: number,
): StatementEvent {
  let balance = 0;
  const transactions: Transaction[] = [];
  for (let i = 0; i < count; i++) {
    const sale = i % 3 !== 2;
    const total = round2(50 + ((seed * 31 + i * 17) % 2000) + (i % 100) / 100);
    const effect = sale ? total : -total;
    balance = round2(balance + effect);
    const date = new Date(Date.UTC(2017, 0, 1) + i * 86_400_000 * 7).toISOString().slice(0, 10);
    transactions.push({
      date,
      reference: `${sale ? 'V' : 'P'}-${String(seed * 10_000 + i).padStart(8, '0')}`,
      label: sale ? 'Vente' : 'Paiement vente',
      kind: sale ? 'sale' : 'payment',
      total,
      effect,
      balance,
      page: 1 + Math.floor(i / 35),
      lines: sale
        ? [
            {
              product: `DOLIPRANE 1000MG CPR ${i % 50}`,
              quantity: 1,
              unitPrice: total,
              discount: 0,
              discountedUnitPrice: total,
              total,
            },
          ]
        : [],
    });
  }
  return {
    jobId: 'bench',
    pharmacyId: PHARMACY,
    clientKey,
    customerName: `Client ${clientKey}`,
    ...period,
    sourceSha256: 'a'.repeat(64),
    downloadedAt: '2025-01-10T09:00:00.000Z',
    parsedAt: '2025-01-10T09:00:01.000Z',
    statement: {
      openingBalance: 0,
      closingBalance: balance,
      computedClosingBalance: balance,
      verdict: 'ok',
      pages: 1 + Math.floor(count / 35),
      transactions,
      anomalies: [],
    },
  };
}

function customerList(): Static<typeof ClientsExtracted> {
  const customers = Array.from({ length: CUSTOMERS }, (_, i) => ({
    clientKey: String(2_280_000 + i),
    name: `Client ${i % 250}`,
  }));
  return {
    jobId: 'bench',
    pharmacyId: PHARMACY,
    extractedAt: '2025-01-10T08:00:00.000Z',
    siteTotal: CUSTOMERS,
    customers,
  };
}

function statementsOf100k(period = { from: '2017-01-01', to: '2025-01-09' }): StatementEvent[] {
  const base = Math.floor(TRANSACTIONS / CUSTOMERS);
  const extra = TRANSACTIONS - base * CUSTOMERS;
  return customerList().customers.map((c, i) => statement(c.clientKey, base + (i < extra ? 1 : 0), period, i));
}

async function benchStore(work: string): Promise<number> {
  const events = statementsOf100k();
  const total = events.reduce((sum, e) => sum + e.statement.transactions.length, 0);
  if (total !== TRANSACTIONS) throw new Error(`generated ${total} transactions`);
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const pdb = openPharmacyDatabase(join(work, `store-${run}.db`), PHARMACY);
    storeCustomers(pdb.sqlite, customerList());
    const started = performance.now();
    for (const event of events) storeStatement(pdb.sqlite, event);
    times.push((performance.now() - started) / 1000);
    pdb.sqlite.close();
    log(`store run ${run + 1}: ${times.at(-1)!.toFixed(3)} s`);
  }
  return median(times);
}

async function fill50mb(pdb: PharmacyDatabase): Promise<void> {
  storeCustomers(pdb.sqlite, customerList());
  for (let year = 2000; statSync(pdb.file).size + walSize(pdb.file) < TARGET_DB_BYTES; year++) {
    for (const event of statementsOf100k({ from: `${year}-01-01`, to: `${year}-12-31` }))
      storeStatement(pdb.sqlite, event);
    pdb.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  }
}

function walSize(file: string): number {
  try {
    return statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
}

async function benchSnapshotUpload(work: string): Promise<{ seconds: number; dbMb: number; gzMb: number }> {
  const S3rver = createRequire(import.meta.url)('s3rver') as new (
    options: object,
  ) => {
    run(): Promise<{ port: number }>;
    close(): Promise<void>;
  };
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    directory: join(work, 's3'),
    silent: true,
    configureBuckets: [{ name: 'bench-bucket' }],
  });
  const { port } = await server.run();
  const s3 = createS3Client({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    bucket: 'bench-bucket',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
    checksums: 'WHEN_REQUIRED',
  });
  const pdb = openPharmacyDatabase(join(work, 'pharmacie_bench_at_example_ma.db'), PHARMACY);
  try {
    await fill50mb(pdb);
    const dbMb = statSync(pdb.file).size / 1024 / 1024;
    log(`database: ${dbMb.toFixed(1)} MB`);
    const bucket = new SnapshotBucket(s3, 'bench-bucket', 'pharmacies');
    const replicator = new Replicator({
      bucket,
      tmpDir: work,
      generationsKept: 2,
      debounceMs: 60_000,
      maxDelayMs: 60_000,
      retryMinMs: 1_000,
      retryMaxMs: 1_000,
      gzipLevel: 3,
      writer: 'bench',
      logger: createLogger({ service: 'bench', level: 'silent' }),
      database: () => pdb,
    });
    const times: number[] = [];
    let gzMb = 0;
    for (let run = 0; run < RUNS; run++) {
      // One more change so that there is something to upload.
      storeCustomers(pdb.sqlite, { ...customerList(), extractedAt: `2025-02-0${run + 1}T00:00:00.000Z` });
      const started = performance.now();
      const status = await replicator.flush(PHARMACY);
      times.push((performance.now() - started) / 1000);
      if (status.state !== 'synced') throw new Error(`upload failed: ${status.lastError}`);
      gzMb = (await bucket.readManifest('pharmacie_bench_at_example_ma'))!.size / 1024 / 1024;
      log(
        `snapshot+upload run ${run + 1}: ${times.at(-1)!.toFixed(3)} s (generation ${status.generation}, ${gzMb.toFixed(1)} MB gzip)`,
      );
    }
    await replicator.stop();
    return { seconds: median(times), dbMb, gzMb };
  } finally {
    pdb.sqlite.close();
    s3.destroy();
    await server.close();
  }
}

const work = mkdtempSync(join(tmpdir(), 'bench-storage-'));
try {
  const store = await benchStore(work);
  const upload = await benchSnapshotUpload(work);
  console.log(
    JSON.stringify({
      store_259_statements_s: Number(store.toFixed(3)),
      snapshot_upload_50mb_s: Number(upload.seconds.toFixed(3)),
      transactions: TRANSACTIONS,
      db_mb: Number(upload.dbMb.toFixed(1)),
      gzip_mb: Number(upload.gzMb.toFixed(1)),
      runs: RUNS,
    }),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
