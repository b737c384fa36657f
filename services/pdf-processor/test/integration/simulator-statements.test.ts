import {
  type PrintOptions,
  type RunningSimulator,
  type Simulation,
  type StatementRequest,
  startSimulator,
} from '@pharma/sobrus-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParserPool, type ParserPool } from '../../src/worker/parser-pool.js';
import { comparable, type ExpectedStatement } from '../helpers/expected.js';
import { createRandom } from '../helpers/mutate-pdf.js';

const STATEMENTS = 500;
const SEED = 'pdf-processor-acceptance';
const TODAY = '2024-12-31';
const HISTORY_START = Date.UTC(2017, 0, 1);
const DAY = 86_400_000;

/** Random customers of every account and random periods, plus whole histories of the busiest customers (40+ pages). */
function pickRequests(simulation: Simulation) {
  const random = createRandom(20_241_231);
  const accounts = simulation.accounts().filter((account) => account.customerCount > 0);
  const iso = (time: number) => new Date(time).toISOString().slice(0, 10);
  const last = Date.parse(TODAY);
  const heavy = simulation
    .customers(accounts[0]!.email)
    .filter((customer) => customer.tier === 'heavy' || customer.tier === 'regular')
    .slice(0, 4)
    .map((customer) => ({
      account: accounts[0]!.email,
      customerId: customer.id,
      startDate: '2017-01-01',
      endDate: TODAY,
    }));
  const requests: { request: StatementRequest; options: PrintOptions }[] = heavy.map((request) => ({
    request,
    options: {},
  }));
  const pageSizes = ['A4', 'A4', 'A4', 'LETTER', 'LEGAL'] as const;
  while (requests.length < STATEMENTS) {
    const account = accounts[random.int(0, accounts.length - 1)]!;
    const customers = simulation.customers(account.email);
    const customer = customers[random.int(0, customers.length - 1)]!;
    const start = HISTORY_START + random.int(0, Math.floor((last - HISTORY_START) / DAY)) * DAY;
    const length = Math.floor(random.next() ** 2 * (last - start)) + DAY;
    requests.push({
      request: {
        account: account.email,
        customerId: customer.id,
        startDate: iso(start),
        endDate: iso(Math.min(last, start + length)),
      },
      options: { inconsistent: random.next() < 0.1, pageSize: pageSizes[random.int(0, pageSizes.length - 1)]! },
    });
  }
  return requests;
}

describe(`${STATEMENTS} simulator statements`, () => {
  let pool: ParserPool;
  let simulator: RunningSimulator;

  beforeAll(async () => {
    pool = createParserPool({ threads: 2, timeoutMs: 60_000, maxMemoryMb: 512 });
    simulator = await startSimulator({ seed: SEED, customers: 259, today: TODAY });
  });

  afterAll(async () => {
    await pool?.close();
    await simulator?.close();
  });

  it('parse to exactly the ground truth: every transaction, product line, balance and verdict', {
    timeout: 600_000,
  }, async () => {
    const { simulation, truth } = simulator;
    const requests = pickRequests(simulation);
    const failures: string[] = [];
    let pages = 0;
    const pageCounts: number[] = [];
    let rows = 0;
    let productLines = 0;
    const verdicts: Record<string, number> = {};

    // Printing (in this thread) and parsing (in the pool) overlap; a few statements are in flight at a time.
    let next = 0;
    const work = async () => {
      while (next < requests.length) {
        const { request, options } = requests[next++]!;
        const printed = await simulation.print(request, options);
        const expectedTruth = await truth.statement(request, options);
        const expected: ExpectedStatement = {
          openingBalance: expectedTruth.openingBalance,
          closingBalance: expectedTruth.closingBalance,
          computedClosingBalance: expectedTruth.closingBalance,
          verdict: expectedTruth.injectedInconsistencies.length > 0 ? 'ok_with_anomalies' : 'ok',
          pages: expectedTruth.pages,
          transactions: expectedTruth.transactions,
          anomalies: expectedTruth.injectedInconsistencies.map((reference) => ({
            kind: 'effect_differs_from_total',
            reference,
          })),
        };
        const outcome = await pool.parse(printed.pdf);
        const label = `${request.customerId} ${request.startDate}..${request.endDate}${JSON.stringify(options)}`;
        if (!outcome.ok) {
          failures.push(`${label}: rejected ${outcome.code} ${outcome.reason}`);
          continue;
        }
        pages += outcome.statement.pages;
        pageCounts.push(outcome.statement.pages);
        rows += outcome.statement.transactions.length;
        productLines += outcome.statement.transactions.reduce((sum, t) => sum + t.lines.length, 0);
        verdicts[outcome.statement.verdict] = (verdicts[outcome.statement.verdict] ?? 0) + 1;
        try {
          expect(comparable(outcome.statement)).toEqual(expected);
        } catch (error) {
          failures.push(`${label}: ${(error as Error).message.slice(0, 2_000)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 4 }, work));
    console.log(
      `${requests.length} statements, ${pages} pages (${Math.min(...pageCounts)} to ${Math.max(...pageCounts)} each), ${rows} rows, ${productLines} product lines`,
      verdicts,
    );
    expect(failures).toEqual([]);
    expect(Math.min(...pageCounts)).toBe(1);
    expect(Math.max(...pageCounts)).toBeGreaterThanOrEqual(40);
    expect(verdicts.ok_with_anomalies).toBeGreaterThan(0);
  });
});
