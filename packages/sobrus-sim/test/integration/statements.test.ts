import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../src/domain/prng.js';
import { type RunningSimulator, startSimulator, type TruthCustomer, type TruthStatement } from '../../src/index.js';
import {
  DEMO,
  type ExtractedStatement,
  extractStatement,
  fetchStatement,
  httpLogin,
  mapLimit,
  type StatementQuery,
  TEST_TODAY,
  toUnicodeCodePoints,
} from '../helpers.js';

let sim: RunningSimulator;
const cookies = new Map<string, string>();

beforeAll(async () => {
  sim = await startSimulator({ seed: 'statements-test', today: TEST_TODAY });
});
afterAll(async () => {
  await sim?.close();
});

interface CustomerPage {
  items: { id: string; name: string }[];
  total: number;
  page: number;
  limit: number;
  pages: number;
}

interface Case extends StatementQuery {
  account: string;
}

/** 100 statements: seeded random customers of three accounts, periods from one month to the whole history. */
function pickCases(): Case[] {
  const random = createRandom('statement-cases');
  const accounts = sim.truth
    .accounts()
    .filter((a) => ['demo', 'pharmacie01', 'pharmacie05'].some((p) => a.email.startsWith(p)));
  const cases: Case[] = [];
  const demoCustomers = sim.truth.customers(DEMO.email);
  // Always include the two extremes: a one-transaction customer and a 40+ page history.
  cases.push({
    account: DEMO.email,
    customerId: demoCustomers[1]!.clientKey,
    startDate: '2017-01-01',
    endDate: TEST_TODAY,
  });
  cases.push({
    account: DEMO.email,
    customerId: demoCustomers[2]!.clientKey,
    startDate: '2017-01-01',
    endDate: TEST_TODAY,
  });
  while (cases.length < 100) {
    const account = random.pick(accounts);
    const customer = random.pick(sim.truth.customers(account.email));
    const roll = random.next();
    let startDate = '2017-01-01';
    let endDate = TEST_TODAY;
    if (roll < 0.5) {
      const year = random.int(2017, 2025);
      const month = random.int(1, 12).toString().padStart(2, '0');
      startDate = `${year}-${month}-01`;
      endDate = `${year}-${month}-28`;
    } else if (roll < 0.85) {
      startDate = `${random.int(2017, 2023)}-0${random.int(1, 9)}-1${random.int(0, 9)}`;
      endDate = `${random.int(2024, 2025)}-1${random.int(0, 2)}-0${random.int(1, 9)}`;
    }
    cases.push({ account: account.email, customerId: customer.clientKey, startDate, endDate });
  }
  return cases;
}

async function cookieFor(account: string): Promise<string> {
  let cookie = cookies.get(account);
  if (!cookie) {
    const password = sim.truth.accounts().find((a) => a.email === account)!.password;
    cookie = await httpLogin(sim, account, password);
    cookies.set(account, cookie);
  }
  return cookie;
}

function expectMatchesTruth(printed: ExtractedStatement, truth: TruthStatement): void {
  expect(printed.opening).toBe(truth.openingBalance);
  expect(printed.closing).toBe(truth.closingBalance);
  expect(printed.pages).toBe(truth.pages);
  expect(printed.rows).toEqual(
    truth.transactions.map((t) => ({
      date: t.date,
      reference: t.reference,
      total: t.total,
      balance: t.balance,
      page: t.page,
    })),
  );
}

describe('statement PDFs', () => {
  it('print exactly the ground truth balances for 100 random statements', async () => {
    const cases = pickCases();
    const checked = await mapLimit(cases, 4, async ({ account, ...query }) => {
      const response = await fetchStatement(sim, await cookieFor(account), query);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      const pdf = Buffer.from(await response.arrayBuffer());
      const [printed, truth] = await Promise.all([extractStatement(pdf), sim.truth.statement({ account, ...query })]);
      expectMatchesTruth(printed, truth);
      return { rows: truth.transactions.length, pages: truth.pages, pdf };
    });
    expect(Math.min(...checked.map((c) => c.rows))).toBeLessThanOrEqual(1);
    const longest = checked.reduce((a, b) => (b.pages > a.pages ? b : a));
    expect(longest.pages).toBeGreaterThanOrEqual(40);
    // The real separators are in the file itself, not only spaces.
    const codePoints = toUnicodeCodePoints(longest.pdf);
    expect(codePoints.has(0x202f)).toBe(true);
    expect(codePoints.has(0x00a0)).toBe(true);
  });

  it('reconcile: opening + effects = closing, with cash refunds that do not move the balance', async () => {
    const customers = sim.truth.customers(DEMO.email).slice(0, 20);
    const statements = await Promise.all(
      customers.map((c) =>
        sim.truth.statement({
          account: DEMO.email,
          customerId: c.clientKey,
          startDate: '2017-01-01',
          endDate: TEST_TODAY,
        }),
      ),
    );
    let refunds = 0;
    for (const statement of statements) {
      let balance = statement.openingBalance;
      for (const [index, t] of statement.transactions.entries()) {
        balance = Math.round((balance + t.effect) * 100) / 100;
        expect(t.balance).toBe(balance);
        if (t.label === 'Remboursement espèces') {
          refunds += 1;
          expect(t.effect).toBe(0);
          expect(statement.transactions[index - 1]).toMatchObject({ kind: 'return', total: t.total });
        }
      }
      expect(statement.closingBalance).toBe(balance);
    }
    expect(refunds).toBeGreaterThan(0);
    expect(statements.some((s) => s.openingBalance < 0)).toBe(true);
  });

  it('answers 401 JSON without a session and 400/404 for bad requests', async () => {
    const customerId = sim.truth.customers(DEMO.email)[0]!.clientKey;
    const anonymous = await fetchStatement(sim, '', { customerId, startDate: '2024-01-01', endDate: '2024-12-31' });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    const cookie = await cookieFor(DEMO.email);
    const reversed = await fetchStatement(sim, cookie, { customerId, startDate: '2024-12-31', endDate: '2024-01-01' });
    expect(reversed.status).toBe(400);
    const unknown = await fetchStatement(sim, cookie, {
      customerId: '1',
      startDate: '2024-01-01',
      endDate: '2024-12-31',
    });
    expect(unknown.status).toBe(404);
    // Another pharmacy's customer is not visible either.
    const foreign = sim.truth.customers('pharmacie05@sim.test')[0]!.clientKey;
    const other = await fetchStatement(sim, cookie, {
      customerId: foreign,
      startDate: '2024-01-01',
      endDate: '2024-12-31',
    });
    expect(other.status).toBe(404);
  });

  it('lists customers as JSON on both origins, pages fetched concurrently', async () => {
    const cookie = await cookieFor(DEMO.email);
    const first = (await (await fetch(`${sim.appUrl}/api/customers`, { headers: { cookie } })).json()) as CustomerPage;
    expect(first).toMatchObject({ total: 259, page: 1, limit: 20, pages: 13 });
    const pages = await Promise.all(
      Array.from({ length: 6 }, async (_, index) => {
        const response = await fetch(`${sim.apiUrl}/customers?page=${index + 1}&limit=50`, { headers: { cookie } });
        expect(response.headers.get('access-control-allow-origin')).toBe(sim.appUrl);
        return (await response.json()) as CustomerPage;
      }),
    );
    const ids = pages.flatMap((page) => page.items.map((item) => item.id));
    expect(ids).toEqual(sim.truth.customers(DEMO.email).map((c) => c.clientKey));
    expect((await fetch(`${sim.apiUrl}/customers`)).status).toBe(401);
  });

  it('serves the truth over HTTP too', async () => {
    const response = await fetch(`${sim.appUrl}/__sim/truth/customers?account=${DEMO.email}`);
    const customers = (await response.json()) as TruthCustomer[];
    expect(customers).toEqual(sim.truth.customers(DEMO.email));
    const query = { customerId: customers[0]!.clientKey, startDate: '2020-01-01', endDate: '2021-12-31' };
    const url = `${sim.appUrl}/__sim/truth/statement?account=${DEMO.email}&customer_id=${query.customerId}&start_date=${query.startDate}&end_date=${query.endDate}`;
    expect(await (await fetch(url)).json()).toEqual(await sim.truth.statement({ account: DEMO.email, ...query }));
  });
});
