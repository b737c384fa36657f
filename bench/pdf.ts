import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Simulation, type StatementRequest } from '@pharma/sobrus-sim';
import { createParserPool } from '../services/pdf-processor/src/worker/parser-pool.js';

// Statement parsing throughput on ONE core (one parser thread, documents one after the other), against
// `pdftotext -layout` (poppler) on the same corpus. Each figure is the best of ROUNDS passes, after a warm-up.
const ROUNDS = 3;
const run = promisify(execFile);

async function buildCorpus(): Promise<{ name: string; pdf: Buffer; pages: number }[]> {
  const simulation = new Simulation({ seed: 'bench-pdf', customers: 80, today: '2024-12-31' });
  const account = simulation.accounts()[0]!.email;
  const customers = simulation.customers(account);
  const requests: StatementRequest[] = [];
  // Whole histories of busy customers (tens of pages each) and a spread of ordinary statements.
  for (const customer of customers.filter((c) => c.tier === 'heavy' || c.tier === 'regular').slice(0, 5)) {
    requests.push({ account, customerId: customer.id, startDate: '2017-01-01', endDate: '2024-12-31' });
  }
  for (const [index, customer] of customers.slice(5, 65).entries()) {
    const year = 2017 + (index % 8);
    requests.push({
      account,
      customerId: customer.id,
      startDate: `${year}-01-01`,
      endDate: `${year + (index % 3)}-12-31`,
    });
  }
  const corpus: { name: string; pdf: Buffer; pages: number }[] = [];
  for (const request of requests) {
    const printed = await simulation.print(request);
    corpus.push({ name: `${request.customerId}-${request.startDate}`, pdf: printed.pdf, pages: printed.pages });
  }
  return corpus;
}

async function best(label: string, pass: () => Promise<void>): Promise<{ wallS: number; cpuS: number }> {
  await pass();
  let result = { wallS: Number.POSITIVE_INFINITY, cpuS: Number.POSITIVE_INFINITY };
  for (let round = 1; round <= ROUNDS; round++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    await pass();
    const wallS = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuS = (used.user + used.system) / 1e6;
    console.error(`${label} round ${round}: ${wallS.toFixed(2)} s wall, ${cpuS.toFixed(2)} s cpu (this process)`);
    if (wallS < result.wallS) result = { wallS, cpuS };
  }
  return result;
}

const corpus = await buildCorpus();
const pages = corpus.reduce((sum, doc) => sum + doc.pages, 0);
const statements = corpus.length;
console.error(`corpus: ${statements} statements, ${pages} pages (${corpus.map((doc) => doc.pages).join(' ')})`);

const pool = createParserPool({ threads: 1, timeoutMs: 120_000, maxMemoryMb: 1024 });
const ours = await best('pdf-processor', async () => {
  for (const doc of corpus) {
    const outcome = await pool.parse(doc.pdf);
    if (!outcome.ok) throw new Error(`${doc.name}: ${outcome.reason}`);
  }
});
await pool.close();

const folder = await mkdtemp(join(tmpdir(), 'bench-pdf-'));
const files: string[] = [];
for (const doc of corpus) {
  const file = join(folder, `${doc.name}.pdf`);
  await writeFile(file, doc.pdf);
  files.push(file);
}
const reference = await best('pdftotext -layout', async () => {
  for (const file of files) await run('pdftotext', ['-layout', file, '-'], { maxBuffer: 256 * 1024 * 1024 });
});
await rm(folder, { recursive: true, force: true });

const round = (value: number) => Math.round(value * 10) / 10;
console.log(
  JSON.stringify({
    pages_per_s: round(pages / ours.wallS),
    statements_per_s: round(statements / ours.wallS),
    pdftotext_pages_per_s: round(pages / reference.wallS),
    pages,
    statements,
    cpu_pages_per_s: round(pages / ours.cpuS),
  }),
);
