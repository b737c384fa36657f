import { createTruth, Simulation } from '@pharma/sobrus-sim';
import { describe, expect, it } from 'vitest';
import { parseStatementPages } from '../../src/domain/statement.parser.js';
import { extractText } from '../../src/pdf/extract-text.js';
import { comparable } from '../helpers/expected.js';
import { perturbPage } from '../helpers/perturb-items.js';

// The parser must not depend on how pdfkit happens to emit text: the same statements, with their items split,
// merged, shifted and shuffled, still parse to the ground truth.
describe('robustness to the PDF producer', () => {
  it('parses perturbed text items of 40 statements exactly', { timeout: 240_000 }, async () => {
    const simulation = new Simulation({ seed: 'producer-robustness', customers: 80, today: '2024-12-31' });
    const truth = createTruth(simulation, () => ({}));
    const account = simulation.accounts()[0]!.email;
    const customers = simulation.customers(account).slice(0, 40);
    const failures: string[] = [];
    for (const [index, customer] of customers.entries()) {
      const request = {
        account,
        customerId: customer.id,
        startDate: `${2017 + (index % 7)}-01-01`,
        endDate: `${2018 + (index % 7)}-06-30`,
      };
      const printed = await simulation.print(request);
      const expected = await truth.statement(request);
      const { pages } = await extractText(printed.pdf);
      const parsed = parseStatementPages(pages.map((page) => perturbPage(page, index * 1_000 + page.page)));
      try {
        expect(comparable(parsed)).toEqual({
          openingBalance: expected.openingBalance,
          closingBalance: expected.closingBalance,
          computedClosingBalance: expected.closingBalance,
          verdict: 'ok',
          pages: expected.pages,
          transactions: expected.transactions,
          anomalies: [],
        });
      } catch (error) {
        failures.push(`${customer.id}: ${(error as Error).message.slice(0, 1_500)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
