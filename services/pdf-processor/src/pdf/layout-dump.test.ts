import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KEPT_WORDS, redactLayoutText } from '../domain/layout-redaction.js';
import { extractText } from './extract-text.js';
import { buildLayoutDump } from './layout-dump.js';

const corpus = (path: string) => readFileSync(new URL(`../../test/fixtures/producers/${path}`, import.meta.url));

const CASES = [
  { producer: 'pdfkit', file: 'pdfkit/a4--01-tiny-positive', printedBy: /^Sobrus$/, font: /^[A-Z]{6}\+DejaVuSans/ },
  {
    producer: 'LibreOffice',
    file: 'libreoffice/left-top-dejavu-a4--01-tiny-positive',
    printedBy: /^LibreOffice/,
    font: /^[A-Z]{6}\+(DejaVuSans|LiberationSerif)/,
  },
];

const keptKeys = new Set(KEPT_WORDS.map((word) => word.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()));
const isKept = (word: string) => keptKeys.has(word.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase());

describe.each(CASES)(
  'layout dump of a statement printed by $producer',
  { timeout: 30_000 },
  ({ file, printedBy, font }) => {
    const pdf = corpus(`${file}.pdf`);
    const truth = JSON.parse(corpus(`${file}.json`).toString('utf8'));

    it('holds every text item where pdfjs places it, its font and size, and the page sizes', async () => {
      const dump = await buildLayoutDump(pdf);
      const read = await extractText(pdf, { fastPath: false });
      expect(dump.kind).toBe('statement-layout');
      expect(dump.pages.map((page) => page.page)).toEqual(read.pages.map((page) => page.page));
      for (const [index, page] of dump.pages.entries()) {
        const original = read.pages[index]!;
        expect(page.width).toBeCloseTo(original.width, 1);
        expect(page.height).toBeCloseTo(original.height, 1);
        expect(page.items).toHaveLength(original.items.length);
        page.items.forEach((item, i) => {
          const source = original.items[i]!;
          expect(item.text).toBe(redactLayoutText(source.str));
          expect(Math.abs(item.x - source.x)).toBeLessThanOrEqual(0.005);
          expect(Math.abs(item.y - source.y)).toBeLessThanOrEqual(0.005);
          expect(Math.abs(item.width - source.width)).toBeLessThanOrEqual(0.005);
          expect(item.size).toBeGreaterThan(4);
          expect(dump.fonts.some((f) => f.id === item.font)).toBe(true);
        });
      }
      // Real font names (BaseFont with its subset tag), not pdfjs's internal ids.
      expect(dump.fonts.length).toBeGreaterThan(0);
      for (const entry of dump.fonts) {
        expect(entry.name).toMatch(font);
        expect(entry.name).not.toMatch(/^g_d\d+_f\d+$/);
        expect(entry.embedded).toBe(true);
      }
    });

    it('names the producer and the reader the parser used', async () => {
      const dump = await buildLayoutDump(pdf);
      expect(dump.producer).toMatch(printedBy);
      expect(dump.pdfVersion).toMatch(/^\d\.\d$/);
      const read = await extractText(pdf);
      expect(dump.reader.via).toBe(read.via);
      if (dump.reader.via === 'pdfjs') expect(typeof dump.reader.fastPathDeclined).toBe('string');
    });

    it('keeps no digit, and no letter outside the header and balance words', async () => {
      const dump = await buildLayoutDump(pdf);
      const texts = dump.pages.flatMap((page) => page.items.map((item) => item.text));
      // Every digit printed as 9.
      expect(texts.join(' ')).not.toMatch(/(?!9)\p{N}/u);
      for (const text of texts) {
        for (const word of text.match(/[\p{L}°.]+/gu) ?? []) {
          expect(/^[x.]+$/.test(word) || isKept(word), `${JSON.stringify(text)}: ${word}`).toBe(true);
        }
      }
      expect(texts).toContain('Date');
      expect(texts.some((text) => /^Solde initial/.test(text))).toBe(true);
      // The statement's own data (labels, references, product names) is nowhere in the dump.
      const printed = JSON.stringify(dump.pages);
      for (const row of truth.transactions as { reference: string; label: string; lines: { product: string }[] }[]) {
        expect(printed).not.toContain(row.reference);
        const words = [row.label, ...row.lines.map((line) => line.product)].join(' ').match(/\p{L}{3,}/gu) ?? [];
        for (const word of words) if (!isKept(word)) expect(printed, word).not.toContain(word);
      }
    });
  },
);

describe('layout dump of what is not a readable PDF', () => {
  it('throws when pdfjs cannot open the file', async () => {
    await expect(buildLayoutDump(new TextEncoder().encode('<html>502 Bad Gateway</html>'))).rejects.toThrow();
  });
});
