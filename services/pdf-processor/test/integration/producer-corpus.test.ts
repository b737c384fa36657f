import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseStatementPages } from '../../src/domain/statement.parser.js';
import { extractText } from '../../src/pdf/extract-text.js';
import { parseStatementPdf } from '../../src/pdf/parse-pdf.js';
import { comparable } from '../helpers/expected.js';
import { perturbPage, singleGlyphs } from '../helpers/perturb-items.js';

// The same ground-truth statements printed by independent producers (`test/corpus/generate.ts` wrote them):
// every one must parse exactly, whatever the producer's fonts, alignment, wrapping and page breaks.
const CORPUS = fileURLToPath(new URL('../fixtures/producers/', import.meta.url));
const PRODUCERS = ['pdfkit', 'chromium', 'libreoffice'];

const casesOf = (producer: string) =>
  readdirSync(join(CORPUS, producer))
    .filter((name) => name.endsWith('.json'))
    .map((name) => ({ producer, name: name.replace(/\.json$/, '') }));
const cases = PRODUCERS.flatMap(casesOf);

/** The page of each row is where the producer happened to print it: not part of the ground truth. */
function withoutRowPages(statement: ReturnType<typeof comparable>) {
  return { ...statement, transactions: statement.transactions.map(({ page: _page, ...row }) => row) };
}

describe('statements printed by several producers', () => {
  it('the corpus holds every producer, with statements of every shape', () => {
    for (const producer of PRODUCERS) {
      const names = casesOf(producer).map((item) => item.name);
      expect(names.length, producer).toBeGreaterThanOrEqual(4);
      for (const shape of ['tiny-positive', 'cent-and-millions', 'negative-and-inconsistent', 'long']) {
        expect(
          names.some((name) => name.endsWith(shape)),
          `${producer} ${shape}`,
        ).toBe(true);
      }
    }
  });

  it('each folder holds what its producer printed (the PDF metadata names it)', async () => {
    const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const producerOf = async (producer: string) => {
      const pdf = readFileSync(join(CORPUS, producer, `${casesOf(producer)[0]!.name}.pdf`));
      const document = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
      const { info } = await document.getMetadata();
      await document.destroy();
      return (info as { Producer?: string }).Producer;
    };
    expect(await producerOf('chromium')).toMatch(/^Skia\/PDF/);
    expect(await producerOf('libreoffice')).toMatch(/^LibreOffice/);
    expect(await producerOf('pdfkit')).toBe('Sobrus');
  });

  it.each(cases)('$producer $name parses exactly to its ground truth', async ({ producer, name }) => {
    const pdf = readFileSync(join(CORPUS, producer, `${name}.pdf`));
    const expected = JSON.parse(readFileSync(join(CORPUS, producer, `${name}.json`), 'utf8'));
    const parsed = await parseStatementPdf(pdf);
    expect(withoutRowPages(comparable(parsed))).toEqual(expected);
  });

  it.each(
    PRODUCERS.map((producer) => ({
      producer,
      name: casesOf(producer).find((item) => item.name.endsWith('long'))!.name,
    })),
  )(
    '$producer $name parses the same with every item split into glyphs, or split, merged and shuffled',
    async ({ producer, name }) => {
      const { pages } = await extractText(readFileSync(join(CORPUS, producer, `${name}.pdf`)));
      const expected = JSON.parse(readFileSync(join(CORPUS, producer, `${name}.json`), 'utf8'));
      expect(withoutRowPages(comparable(parseStatementPages(pages.map(singleGlyphs))))).toEqual(expected);
      const perturbed = pages.map((page) => perturbPage(page, page.page));
      expect(withoutRowPages(comparable(parseStatementPages(perturbed)))).toEqual(expected);
    },
  );
});
