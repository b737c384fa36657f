import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../src/index.js';
import { DEMO, fetchStatement, httpLogin, TEST_TODAY } from '../helpers.js';

let first: RunningSimulator;
let second: RunningSimulator;
let otherSeed: RunningSimulator;

beforeAll(async () => {
  [first, second, otherSeed] = await Promise.all([
    startSimulator({ seed: 'same-seed', today: TEST_TODAY }),
    startSimulator({ seed: 'same-seed', today: TEST_TODAY }),
    startSimulator({ seed: 'another-seed', today: TEST_TODAY }),
  ]);
});
afterAll(async () => {
  await Promise.all([first, second, otherSeed].map((sim) => sim?.close()));
});

async function customerListBody(sim: RunningSimulator): Promise<string> {
  const cookie = await httpLogin(sim, DEMO.email, DEMO.password);
  const pages: string[] = [];
  for (let page = 1; page <= 13; page++) {
    const response = await fetch(`${sim.appUrl}/api/customers?page=${page}`, { headers: { cookie } });
    pages.push(await response.text());
  }
  return pages.join('\n');
}

async function statementHashes(sim: RunningSimulator, customerIds: string[]): Promise<string[]> {
  const cookie = await httpLogin(sim, DEMO.email, DEMO.password);
  return Promise.all(
    customerIds.map(async (customerId) => {
      const response = await fetchStatement(sim, cookie, { customerId, startDate: '2017-01-01', endDate: TEST_TODAY });
      return createHash('sha256')
        .update(Buffer.from(await response.arrayBuffer()))
        .digest('hex');
    }),
  );
}

describe('determinism', () => {
  it('gives byte-identical customer lists for the same seed, and another list for another seed', async () => {
    const [a, b, c] = await Promise.all([
      customerListBody(first),
      customerListBody(second),
      customerListBody(otherSeed),
    ]);
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(JSON.parse(a.split('\n')[0]!).total).toBe(259);
  });

  it('gives byte-identical statement PDFs for the same seed', async () => {
    const ids = first.truth
      .customers(DEMO.email)
      .slice(0, 6)
      .map((c) => c.clientKey);
    expect(second.truth.customers(DEMO.email).map((c) => c.clientKey)).toEqual(
      first.truth.customers(DEMO.email).map((c) => c.clientKey),
    );
    const [a, b] = await Promise.all([statementHashes(first, ids), statementHashes(second, ids)]);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(ids.length);
  });
});
