import { readdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParserPool, type ParserPool } from '../../src/worker/parser-pool.js';
import { createRandom, MUTATIONS, mutatePdf } from '../helpers/mutate-pdf.js';

const CASES = 1_000;
const SEED = 20_240_327;
const fixtures = new URL('../fixtures/', import.meta.url);

describe('fuzz: mutated statement PDFs', () => {
  let pool: ParserPool;
  let sources: Uint8Array[];

  beforeAll(async () => {
    pool = createParserPool({ threads: 2, timeoutMs: 5_000, maxMemoryMb: 256 });
    const names = (await readdir(fixtures)).filter((name) => name.endsWith('.pdf')).sort();
    sources = await Promise.all(names.map((name) => readFile(new URL(name, fixtures))));
  });

  afterAll(async () => {
    await pool?.close();
  });

  it(`parses or rejects with a reason each of ${CASES} mutated PDFs, never crashing or hanging`, {
    timeout: 170_000,
  }, async () => {
    expect(sources.length).toBeGreaterThan(0);
    const random = createRandom(SEED);
    const corpus = Array.from({ length: CASES }, (_, index) => {
      const mutation = MUTATIONS[index % MUTATIONS.length]!;
      return { mutation, data: mutatePdf(sources[random.int(0, sources.length - 1)]!, mutation, random) };
    });
    const outcomes = await Promise.all(corpus.map(({ data }) => pool.parse(data)));
    const counts: Record<string, number> = {};
    for (const [index, outcome] of outcomes.entries()) {
      const key = outcome.ok ? `parsed:${outcome.statement.verdict}` : `rejected:${outcome.code}`;
      counts[key] = (counts[key] ?? 0) + 1;
      if (outcome.ok) {
        expect(Number.isFinite(outcome.statement.computedClosingBalance), `case ${index}`).toBe(true);
      } else {
        expect(outcome.reason.length, `case ${index} (${corpus[index]!.mutation})`).toBeGreaterThan(0);
      }
    }
    console.log('fuzz outcomes', counts);
    expect(Object.values(counts).reduce((sum, count) => sum + count, 0)).toBe(CASES);
    // The corpus is not degenerate: some mutants still parse and some are rejected.
    expect(Object.keys(counts).some((key) => key.startsWith('parsed'))).toBe(true);
    expect(Object.keys(counts).some((key) => key.startsWith('rejected'))).toBe(true);
  });
});
