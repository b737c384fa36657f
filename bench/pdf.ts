import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Simulation, type StatementRequest } from '@pharma/sobrus-sim';
import { extractText } from '../services/pdf-processor/src/pdf/extract-text.js';
import type { ParseOutcome } from '../services/pdf-processor/src/worker/parse-outcome.js';
import { createParserPool } from '../services/pdf-processor/src/worker/parser-pool.js';

// Statement parsing throughput on ONE core (one parser thread, documents one after the other), against
// `pdftotext -layout` (poppler) on the same files, per producer: the simulator's volume corpus and the statements
// printed by pdfkit, Chromium and LibreOffice. Each round runs ours and pdftotext back to back on each producer
// (which goes first alternates), so that load from other work hits both alike; each figure is the best of ROUNDS,
// after a warm-up. A small corpus is read several times per pass so that a pass covers at least MIN_PAGES pages.
const ROUNDS = 5;
const MIN_PAGES = 200;
const FIXTURES = fileURLToPath(new URL('../services/pdf-processor/test/fixtures/producers/', import.meta.url));
const PRINTED_BY = ['pdfkit', 'chromium', 'libreoffice'];
const run = promisify(execFile);
const log = (message: string) => process.stderr.write(`${message}\n`);

interface Doc {
  name: string;
  pdf: Buffer;
  file: string;
  pages: number;
  via: 'fast' | 'pdfjs' | 'unread';
  /** Why the fast path left the file to pdfjs. */
  declined?: string;
}
interface Producer {
  name: string;
  docs: Doc[];
  pages: number;
  repeat: number;
}
interface Measure {
  wallS: number;
  cpuS: number;
  /** CPU of the child processes that ended during the pass (pdftotext); null where /proc is not there. */
  childCpuS: number | null;
}

async function simulatorStatements(): Promise<{ name: string; pdf: Buffer }[]> {
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
  const printed: { name: string; pdf: Buffer }[] = [];
  for (const request of requests) {
    printed.push({ name: `${request.customerId}-${request.startDate}`, pdf: (await simulation.print(request)).pdf });
  }
  return printed;
}

/** Page count and reader of each file, outside the timed part (the parser thread reads them the same way). */
async function producerOf(name: string, files: { name: string; pdf: Buffer; file: string }[]): Promise<Producer> {
  const docs: Doc[] = [];
  for (const file of files) {
    try {
      const extracted = await extractText(file.pdf);
      docs.push({ ...file, pages: extracted.pages.length, via: extracted.via, declined: extracted.fastPathDeclined });
    } catch {
      docs.push({ ...file, pages: 0, via: 'unread' });
    }
  }
  const pages = docs.reduce((sum, doc) => sum + doc.pages, 0);
  return { name, docs, pages, repeat: Math.max(1, Math.ceil(MIN_PAGES / Math.max(1, pages))) };
}

/** User + system CPU seconds of the waited-for children of this process (Linux: /proc/self/stat, 100 ticks/s). */
function childCpuSeconds(): number | null {
  try {
    const fields = readFileSync('/proc/self/stat', 'latin1').split(') ')[1]!.split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return null;
  }
}

async function measure(pass: () => Promise<void>): Promise<Measure> {
  const cpu = process.cpuUsage();
  const children = childCpuSeconds();
  const start = performance.now();
  await pass();
  const wallS = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const childrenAfter = childCpuSeconds();
  return {
    wallS,
    cpuS: (used.user + used.system) / 1e6,
    childCpuS: children === null || childrenAfter === null ? null : childrenAfter - children,
  };
}

const folder = await mkdtemp(join(tmpdir(), 'bench-pdf-'));
const pool = createParserPool({ threads: 1, timeoutMs: 120_000, maxMemoryMb: 1024 });
try {
  const loadBefore = loadavg()[0]!;
  const simulated = [];
  for (const doc of await simulatorStatements()) {
    const file = join(folder, `${doc.name}.pdf`);
    await writeFile(file, doc.pdf);
    simulated.push({ ...doc, file });
  }
  const producers = [await producerOf('simulator', simulated)];
  for (const name of PRINTED_BY) {
    const files = readdirSync(join(FIXTURES, name))
      .filter((file) => file.endsWith('.pdf'))
      .sort()
      .map((file) => ({ name: file, file: join(FIXTURES, name, file), pdf: readFileSync(join(FIXTURES, name, file)) }));
    producers.push(await producerOf(name, files));
  }

  const ours = (producer: Producer) => async () => {
    for (let pass = 0; pass < producer.repeat; pass++) for (const doc of producer.docs) await pool.parse(doc.pdf);
  };
  const pdftotext = (producer: Producer) => async () => {
    for (let pass = 0; pass < producer.repeat; pass++) {
      for (const doc of producer.docs) await run('pdftotext', ['-layout', doc.file, '-'], { maxBuffer: 256 << 20 });
    }
  };

  // Warm-up: every file once through each; the outcomes say which statements parse (parsing is deterministic).
  const outcomes = new Map<string, ParseOutcome[]>();
  for (const producer of producers) {
    const results: ParseOutcome[] = [];
    for (const doc of producer.docs) results.push(await pool.parse(doc.pdf));
    outcomes.set(producer.name, results);
    await pdftotext({ ...producer, repeat: 1 })();
    const rejected = results.filter((outcome) => !outcome.ok).length;
    log(
      `${producer.name}: ${producer.docs.length} files, ${producer.pages} pages, read ${producer.repeat}× per pass; ` +
        `${rejected} rejected`,
    );
    const declined = new Set(producer.docs.flatMap((doc) => (doc.declined ? [doc.declined] : [])));
    if (declined.size > 0) log(`  fast path declined: ${[...declined].join('; ')}`);
  }

  const best = new Map(producers.map((producer) => [producer.name, { ours: [] as Measure[], ref: [] as Measure[] }]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const producer of producers) {
      const figures = best.get(producer.name)!;
      if (round % 2 === 1) {
        figures.ours.push(await measure(ours(producer)));
        figures.ref.push(await measure(pdftotext(producer)));
      } else {
        figures.ref.push(await measure(pdftotext(producer)));
        figures.ours.push(await measure(ours(producer)));
      }
      const [a, b] = [figures.ours.at(-1)!, figures.ref.at(-1)!];
      log(
        `round ${round} ${producer.name}: ours ${a.wallS.toFixed(2)} s wall ${a.cpuS.toFixed(2)} s cpu, ` +
          `pdftotext ${b.wallS.toFixed(2)} s wall ${b.childCpuS?.toFixed(2) ?? '?'} s cpu`,
      );
    }
  }

  const round1 = (value: number) => Math.round(value * 10) / 10;
  const fastest = (measures: Measure[]) => measures.reduce((a, b) => (b.wallS < a.wallS ? b : a));
  const results: Record<string, unknown> = {};
  for (const producer of producers) {
    const figures = best.get(producer.name)!;
    const [mine, ref] = [fastest(figures.ours), fastest(figures.ref)];
    const pagesRead = producer.pages * producer.repeat;
    const parsed = outcomes.get(producer.name)!;
    const rejectedCodes: Record<string, number> = {};
    for (const outcome of parsed) if (!outcome.ok) rejectedCodes[outcome.code] = (rejectedCodes[outcome.code] ?? 0) + 1;
    const via: Record<string, number> = {};
    for (const [index, doc] of producer.docs.entries()) {
      // The pool's own answer when it says which reader it used; otherwise what extractText said above.
      const reader = (parsed[index] as { via?: string }).via ?? doc.via;
      via[reader] = (via[reader] ?? 0) + 1;
    }
    results[producer.name] = {
      pages_per_s: round1(pagesRead / mine.wallS),
      pdftotext_pages_per_s: round1(pagesRead / ref.wallS),
      ratio: Math.round((ref.wallS / mine.wallS) * 100) / 100,
      meets_target: mine.wallS <= ref.wallS,
      statements: parsed.filter((outcome) => outcome.ok).length,
      rejected: parsed.length - parsed.filter((outcome) => outcome.ok).length,
      ...(Object.keys(rejectedCodes).length > 0 ? { rejected_codes: rejectedCodes } : {}),
      pages: producer.pages,
      repeat: producer.repeat,
      via,
      cpu_s: Math.round(mine.cpuS * 100) / 100,
      cpu_pages_per_s: round1(pagesRead / mine.cpuS),
      pdftotext_cpu_s: ref.childCpuS === null ? null : Math.round(ref.childCpuS * 100) / 100,
    };
  }
  console.log(
    JSON.stringify({
      producers: results,
      meets_target: Object.values(results).every((result) => (result as { meets_target: boolean }).meets_target),
      threads: 1,
      rounds: ROUNDS,
      cores: availableParallelism(),
      load_average: [loadBefore, loadavg()[0]!].map((value) => Number(value.toFixed(2))),
    }),
  );
} finally {
  await pool.close();
  await rm(folder, { recursive: true, force: true });
}
