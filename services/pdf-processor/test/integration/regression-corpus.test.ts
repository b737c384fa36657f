import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseStatementPdf } from '../../src/pdf/parse-pdf.js';
import { comparable, type ExpectedStatement } from '../helpers/expected.js';

// Statements printed by the simulator for each failure of the original parser, with what they must parse to
// (taken from the simulator's ground truth when they were generated, never from this parser).
const fixtures = new URL('../fixtures/', import.meta.url);
const cases = readdirSync(fixtures)
  .filter((name) => name.endsWith('.json'))
  .map((name) => name.replace(/\.json$/, ''))
  .sort();

const load = (name: string) => ({
  pdf: readFileSync(new URL(`${name}.pdf`, fixtures)),
  expected: JSON.parse(readFileSync(new URL(`${name}.json`, fixtures), 'utf8')) as ExpectedStatement,
});

describe('regression corpus of the original parser failures', () => {
  it('covers every failure case', () => {
    expect(cases).toEqual(
      expect.arrayContaining([
        'cash-refund-of-return',
        'header-repeated',
        'inconsistent-total',
        'narrow-nbsp-separators',
        'negative-opening-balance',
        'totals-over-1000',
        'wrapped-labels',
      ]),
    );
  });

  it.each(cases)('%s parses exactly to its expected statement', async (name) => {
    const { pdf, expected } = load(name);
    const parsed = await parseStatementPdf(pdf);
    const { source: _source, ...want } = expected as ExpectedStatement & { source?: unknown };
    expect(comparable(parsed)).toEqual(want);
  });

  it('fixtures really exercise their case', () => {
    const at = (name: string) => load(name).expected;
    expect(at('totals-over-1000').transactions.some((t) => t.total >= 100_000)).toBe(true);
    expect(at('negative-opening-balance').openingBalance).toBeLessThan(-1000);
    expect(load('narrow-nbsp-separators').pdf.length).toBeGreaterThan(0);
    expect(at('wrapped-labels').transactions.some((t) => t.label.length > 60)).toBe(true);
    expect(at('header-repeated').pages).toBeGreaterThanOrEqual(3);
    const refund = at('cash-refund-of-return').transactions.find((t) => t.label === 'Remboursement espèces');
    expect(refund).toMatchObject({ kind: 'payment', effect: 0 });
    expect(refund!.total).toBeGreaterThan(0);
    expect(at('inconsistent-total').verdict).toBe('ok_with_anomalies');
  });
});

describe('cli', () => {
  const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
  const run = promisify(execFile);

  it('prints the parsed statement as JSON and exits 0', async () => {
    const { stdout } = await run(process.execPath, [
      cli,
      'parse',
      fileURLToPath(new URL('wrapped-labels.pdf', fixtures)),
      '--json',
    ]);
    const printed = JSON.parse(stdout);
    const { expected } = load('wrapped-labels');
    expect(Object.keys(printed).sort()).toEqual(
      ['anomalies', 'closingBalance', 'computedClosingBalance', 'openingBalance', 'transactions', 'verdict'].sort(),
    );
    expect(printed.closingBalance).toBe(expected.closingBalance);
    expect(printed.transactions[0]).toEqual(expected.transactions[0]);
  });

  it('exits 2 with the reason on stderr for a rejected file', async () => {
    const error = await run(process.execPath, [cli, 'parse', fileURLToPath(import.meta.url)]).catch((e) => e);
    expect(error.code).toBe(2);
    expect(error.stderr).toMatch(/not a PDF/);
  });
});
