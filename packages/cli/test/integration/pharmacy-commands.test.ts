import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HISTORY_START } from '@pharma/sobrus-sim';
import { eventually } from '@pharma/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHARMACY, type Stack, startStack } from './stack.js';

/** Yesterday, local day, as the CLI's default period ends. */
function yesterday(): string {
  const now = new Date();
  const day = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1);
  return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
}

// The pharmacy's read commands (clients, statement, balances, ageing, exports) and the default period of a
// statements refresh, against the real scraper, pdf-processor and storage-sync.
describe('pharma CLI: a pharmacy reads its data', () => {
  let stack: Stack;
  let customer: { clientKey: string; name: string };

  beforeAll(async () => {
    stack = await startStack({ seed: 'cli-read' });
    await stack.loginBoth();
    expect((await stack.pharma(['clients', 'refresh'])).code).toBe(0);
    const found = stack.sim.truth
      .customers(PHARMACY.email)
      .find((c, i, all) => i > 3 && all.filter((o) => o.name === c.name).length === 1);
    if (!found) throw new Error('no customer with a unique name');
    customer = found;
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('lists and searches customers', async () => {
    const all = await stack.pharma(['clients', '--limit', '5', '--json']);
    expect(all.code).toBe(0);
    const page = JSON.parse(all.stdout);
    expect(page.total).toBe(259);
    expect(page.items).toHaveLength(5);
    const text = await stack.pharma(['clients', 'search', customer.name]);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toMatch(/^KEY\s+NAME\s+BALANCE\s+VERDICT\s+LAST PAYMENT$/);
    expect(text.stdout).toContain(customer.clientKey);
    const searched = JSON.parse((await stack.pharma(['clients', '--search', customer.clientKey, '--json'])).stdout);
    expect(searched.items.map((c: { clientKey: string }) => c.clientKey)).toContain(customer.clientKey);
    expect((await stack.pharma(['clients', 'search'])).code).toBe(2);
    expect((await stack.pharma(['clients', '--limit', 'many'])).code).toBe(2);
  });

  it('refreshes statements over 2017-01-01 → yesterday by default, then shows the statement', async () => {
    const refresh = await stack.pharma(['statements', 'refresh', '--client', customer.name]);
    expect(refresh.code).toBe(0);
    expect(refresh.stderr).toContain(`statements from ${HISTORY_START} to ${yesterday()}`);
    const truth = await stack.sim.truth.statement({
      account: PHARMACY.email,
      customerId: customer.clientKey,
      startDate: HISTORY_START,
      endDate: yesterday(),
    });
    await eventually(
      async () => {
        const shown = await stack.pharma(['statement', '--client', customer.name, '--json']);
        expect(shown.code).toBe(0);
        const view = JSON.parse(shown.stdout);
        expect(view.statement).toMatchObject({ clientKey: customer.clientKey, from: HISTORY_START, to: yesterday() });
        expect(view.transactions).toHaveLength(truth.transactions.length);
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    const text = await stack.pharma([
      'statement',
      '--client',
      customer.clientKey,
      '--from',
      HISTORY_START,
      '--to',
      yesterday(),
    ]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`${customer.name} (${customer.clientKey})  ${HISTORY_START} → ${yesterday()}`);
    expect(text.stdout).toMatch(/^DATE\s+REFERENCE\s+KIND\s+TOTAL\s+BALANCE\s+LABEL$/m);
    expect((await stack.pharma(['statement'])).code).toBe(2);
    expect((await stack.pharma(['statements', 'refresh', '--from', '2025-02-01', '--to', '2025-01-01'])).code).toBe(2);
  });

  it('shows balances and the receivables ageing', async () => {
    const balances = await stack.pharma(['balances', '--json']);
    expect(balances.code).toBe(0);
    const list = JSON.parse(balances.stdout);
    expect(list.total).toBe(259);
    expect(list.verdicts.none).toBeLessThan(259);
    const text = await stack.pharma(['balances', '--all', '--limit', '3']);
    expect(text.stdout).toMatch(
      /259 customer\(s\): \d+ ok, \d+ ok with anomalies, \d+ mismatch, \d+ without statement/,
    );
    const ageing = await stack.pharma(['ageing', '--as-of', '2025-06-30', '--json']);
    expect(ageing.code).toBe(0);
    expect(JSON.parse(ageing.stdout)).toMatchObject({ asOf: '2025-06-30', overall: expect.any(Object) });
    const ageingText = await stack.pharma(['ageing']);
    expect(ageingText.stdout).toMatch(/^ALL\s/m);
    expect((await stack.pharma(['ageing', '--as-of', 'June'])).code).toBe(2);
  });

  it('exports the statement as an Excel workbook and as CSV', async () => {
    const out = join(stack.home, 'statement.xlsx');
    const xlsx = await stack.pharma(['export', 'xlsx', '--client', customer.name, '--out', out, '--json']);
    expect(xlsx.code).toBe(0);
    expect(JSON.parse(xlsx.stdout)).toMatchObject({ clientKey: customer.clientKey, file: out });
    expect(readFileSync(out).subarray(0, 2).toString()).toBe('PK');
    const noOut = await stack.pharma(['export', 'xlsx', '--client', customer.name, '--json']);
    expect(noOut.code).toBe(2);
    expect(JSON.parse(noOut.stdout)).toMatchObject({ code: 'USAGE' });
    const csv = await stack.pharma(['export', 'csv', '--client', customer.clientKey, '--lines']);
    expect(csv.code).toBe(0);
    expect(csv.stdout.length).toBeGreaterThan(0);
  });

  it('exports the whole customer, balance and ageing lists as CSV and Excel', async () => {
    const csv = await stack.pharma(['export', 'csv', 'customers', '--sep', ',']);
    expect(csv.code).toBe(0);
    expect(csv.stdout.trim().split(/\r?\n/)).toHaveLength(260);
    for (const list of ['customers', 'balances', 'ageing']) {
      const out = join(stack.home, `${list}.xlsx`);
      const run = await stack.pharma(['export', 'xlsx', list, '--out', out, '--json']);
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ export: list, file: out });
      expect(readFileSync(out).subarray(0, 2).toString()).toBe('PK');
    }
    const ageing = join(stack.home, 'ageing.csv');
    expect((await stack.pharma(['export', 'csv', 'ageing', '--as-of', '2025-06-30', '--out', ageing])).code).toBe(0);
    expect(readFileSync(ageing, 'utf8').length).toBeGreaterThan(0);
    expect((await stack.pharma(['export', 'csv', 'products'])).code).toBe(2);
    const db = join(stack.home, 'pharmacy.db');
    const copy = await stack.pharma(['export', 'db', '--out', db, '--json']);
    expect(copy.code, copy.stderr).toBe(0);
    expect(JSON.parse(copy.stdout)).toMatchObject({ export: 'pharmacy.db', file: db });
    expect(readFileSync(db).subarray(0, 15).toString()).toBe('SQLite format 3');
    expect((await stack.pharma(['export', 'db'])).code).toBe(2);
  });

  it('refuses the pharmacy commands to staff (3) and says so in JSON', async () => {
    const run = await stack.pharma(['balances', '--json'], { configDir: stack.staffHome });
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({ exitCode: 3, message: expect.stringContaining('Not allowed') });
    expect(run.stderr).toBe('');
  });
});
