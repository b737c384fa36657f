import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createParserPool, type ParserPool } from '../../src/worker/parser-pool.js';

const sample = () => readFile(new URL('../fixtures/totals-over-1000.pdf', import.meta.url));

describe('parser pool', () => {
  let pool: ParserPool | undefined;
  afterEach(async () => {
    await pool?.close();
  });

  it('terminates a document that exceeds its time budget, and keeps serving the next ones', async () => {
    pool = createParserPool({ threads: 1, timeoutMs: 1, maxMemoryMb: 256 });
    const data = await sample();
    const outcome = await pool.parse(data);
    expect(outcome).toEqual({ ok: false, code: 'TIMEOUT', reason: expect.stringMatching(/longer than 1 ms/) });
  });

  it('parses documents queued behind each other without charging the wait to their budget', async () => {
    pool = createParserPool({ threads: 1, timeoutMs: 10_000, maxMemoryMb: 256 });
    const data = await sample();
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => pool!.parse(data)));
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
  });
});
