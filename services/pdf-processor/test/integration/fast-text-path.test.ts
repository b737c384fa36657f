import { readdirSync, readFileSync } from 'node:fs';
import { type PrintOptions, Simulation, type StatementRequest } from '@pharma/sobrus-sim';
import { describe, expect, it } from 'vitest';
import type { PageText } from '../../src/domain/text-item.js';
import { extractText } from '../../src/pdf/extract-text.js';
import { extractTextFast } from '../../src/pdf/fast/extract.js';
import { parseStatementPdf } from '../../src/pdf/parse-pdf.js';
import { createRandom, MUTATIONS, mutatePdf } from '../helpers/mutate-pdf.js';
import { appendEmptyUpdate, buildPdf } from '../helpers/pdf-file.js';

// The fast text path must give the very items pdfjs gives (same text, same order, same geometry) on every PDF
// it accepts, and leave everything else to pdfjs.
const TOLERANCE = 1e-6;
const fixtures = new URL('../fixtures/', import.meta.url);
const fixtureNames = readdirSync(fixtures)
  .filter((name) => name.endsWith('.pdf'))
  .sort();

// The same statements printed by other producers (pdfkit, Chromium's Skia/PDF, LibreOffice's writer_pdf_Export).
const producers = new URL('../fixtures/producers/', import.meta.url);
const PRODUCERS = ['pdfkit', 'chromium', 'libreoffice'] as const;
/** The producers whose every statement the fast path reads: a change that makes it decline them fails here. */
const READ_BY_THE_FAST_PATH: readonly string[] = ['pdfkit', 'chromium', 'libreoffice'];
const producerFiles = PRODUCERS.flatMap((producer) =>
  readdirSync(new URL(`${producer}/`, producers))
    .filter((name) => name.endsWith('.pdf'))
    .sort()
    .map((name) => ({ producer, name, url: new URL(`${producer}/${name}`, producers) })),
);

/** Differences between two extractions (empty when equal within the tolerance). */
function differences(actual: PageText[], expected: PageText[]): string[] {
  const out: string[] = [];
  if (actual.length !== expected.length) return [`${actual.length} pages instead of ${expected.length}`];
  for (const [index, want] of expected.entries()) {
    const got = actual[index]!;
    if (got.page !== want.page || got.width !== want.width || got.height !== want.height) {
      out.push(`page ${want.page}: size ${got.width}×${got.height} instead of ${want.width}×${want.height}`);
    }
    if (got.items.length !== want.items.length) {
      out.push(`page ${want.page}: ${got.items.length} items instead of ${want.items.length}`);
    }
    for (const [i, item] of want.items.entries()) {
      const other = got.items[i];
      const off =
        !other ||
        other.str !== item.str ||
        (['x', 'y', 'width', 'height'] as const).some((key) => Math.abs(other[key] - item[key]) > TOLERANCE);
      if (off) {
        out.push(`page ${want.page} item ${i}: ${JSON.stringify(other)} instead of ${JSON.stringify(item)}`);
        break;
      }
    }
  }
  return out;
}

async function compareBothPaths(name: string, pdf: Uint8Array): Promise<string[]> {
  const fast = extractTextFast(pdf);
  if (!fast.ok) return [`${name}: fast path declined (${fast.reason})`];
  const reference = await extractText(pdf, { fastPath: false });
  expect(reference.via).toBe('pdfjs');
  return differences(fast.pages, reference.pages).map((difference) => `${name}: ${difference}`);
}

describe('fast text path', () => {
  it('gives the same items as pdfjs on simulator statements of every page size', { timeout: 240_000 }, async () => {
    const simulation = new Simulation({ seed: 'fast-text-path', customers: 60, today: '2024-12-31' });
    const account = simulation.accounts()[0]!.email;
    const customers = simulation.customers(account);
    const random = createRandom(4_004);
    const requests: { request: StatementRequest; options: PrintOptions }[] = customers
      .filter((customer) => customer.tier === 'heavy')
      .slice(0, 2)
      .map((customer) => ({
        request: { account, customerId: customer.id, startDate: '2017-01-01', endDate: '2024-12-31' },
        options: {},
      }));
    const pageSizes = ['A4', 'LETTER', 'LEGAL'] as const;
    for (const [index, customer] of customers.slice(0, 40).entries()) {
      const year = 2017 + (index % 8);
      requests.push({
        request: {
          account,
          customerId: customer.id,
          startDate: `${year}-01-01`,
          endDate: `${year + (index % 3)}-12-31`,
        },
        options: { pageSize: pageSizes[index % 3]!, inconsistent: random.next() < 0.2 },
      });
    }
    const failures: string[] = [];
    let pages = 0;
    for (const { request, options } of requests) {
      const printed = await simulation.print(request, options);
      pages += printed.pages;
      failures.push(...(await compareBothPaths(`${request.customerId} ${JSON.stringify(options)}`, printed.pdf)));
    }
    expect(failures).toEqual([]);
    expect(pages).toBeGreaterThan(100);
  });

  it.each(fixtureNames)('gives the same items as pdfjs on fixture %s', async (name) => {
    expect(await compareBothPaths(name, readFileSync(new URL(name, fixtures)))).toEqual([]);
  });

  it.each(producerFiles)('reads $producer $name as pdfjs does, or leaves it to pdfjs', async ({ name, url }) => {
    const pdf = readFileSync(url);
    const fast = extractTextFast(pdf);
    if (!fast.ok) {
      // Declined: extractText then gives pdfjs's items, saying why.
      const extracted = await extractText(pdf);
      expect(extracted).toMatchObject({ via: 'pdfjs', fastPathDeclined: fast.reason, fastPathDeclinedKind: fast.kind });
      return;
    }
    expect(await compareBothPaths(name, pdf)).toEqual([]);
  });

  it('reads every statement of the producers it is meant for', () => {
    expect(producerFiles.length).toBeGreaterThanOrEqual(30);
    const readers: Record<string, Record<string, number>> = {};
    for (const { producer, url } of producerFiles) {
      const fast = extractTextFast(readFileSync(url));
      const reader = fast.ok ? 'fast' : `declined: ${fast.reason}`;
      readers[producer] ??= {};
      readers[producer][reader] = (readers[producer][reader] ?? 0) + 1;
    }
    for (const producer of PRODUCERS) {
      const files = producerFiles.filter((file) => file.producer === producer).length;
      expect(files, producer).toBeGreaterThanOrEqual(4);
      if (READ_BY_THE_FAST_PATH.includes(producer)) expect(readers[producer], producer).toEqual({ fast: files });
    }
  });

  it('merges resources found on several levels of the page tree as pdfjs does', async () => {
    const libreoffice = producerFiles.find((file) => file.producer === 'libreoffice')!;
    const original = Buffer.from(readFileSync(libreoffice.url)).toString('latin1');
    // LibreOffice repeats one resource dictionary on each page and on the page tree. Here each page keeps only
    // /ProcSet of its own: pdfjs then takes /ProcSet from the page and /Font from the tree.
    const pageResources = /\/Type\/Page\/Parent \d+ 0 R\/Resources (\d+ 0 R)/.exec(original);
    expect(pageResources).not.toBeNull();
    const edited = rebuildXref(
      original.replaceAll(`/Type/Page/Parent`, '/Type/Page/Resources<</ProcSet[/PDF]>>/Parent').replace(
        // Both levels now have /Resources: keep the tree's, and drop the pages' own reference.
        new RegExp(`(/Type/Page/Resources<</ProcSet\\[/PDF\\]>>/Parent \\d+ 0 R)/Resources ${pageResources![1]}`, 'g'),
        '$1',
      ),
    );
    const fast = extractTextFast(edited);
    expect(fast.ok).toBe(true);
    expect(await compareBothPaths('merged resources', edited)).toEqual([]);
    // With no fonts anywhere in reach, it declines.
    const noFonts = rebuildXref(
      Buffer.from(edited)
        .toString('latin1')
        .replace(/\/Type\/Pages\s*\/Resources \d+ 0 R/, '/Type/Pages'),
    );
    expect(extractTextFast(noFonts)).toMatchObject({ ok: false, reason: 'no font resources', kind: 'font' });
  });

  it('leaves a simple TrueType font with an Encoding to pdfjs', async () => {
    const libreoffice = producerFiles.find((file) => file.producer === 'libreoffice')!;
    const original = Buffer.from(readFileSync(libreoffice.url)).toString('latin1');
    const edited = rebuildXref(original.replace('/Subtype/TrueType', '/Subtype/TrueType/Encoding/WinAnsiEncoding'));
    expect(extractTextFast(edited)).toMatchObject({ ok: false, reason: 'simple font with an Encoding', kind: 'font' });
    expect((await extractText(edited)).via).toBe('pdfjs');
  });

  it('is what extractText uses for the statements it understands', async () => {
    const extracted = await extractText(readFileSync(new URL(fixtureNames[0]!, fixtures)));
    expect(extracted.via).toBe('fast');
    expect(extracted.fastPathDeclined).toBeUndefined();
  });

  it('leaves a PDF with simple fonts to pdfjs, which reads it', async () => {
    const pdf = buildPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
      stream('BT /F1 12 Tf 1 0 0 1 72 700 Tm (Relev\\351 client) Tj ET'),
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    ]);
    expect(extractTextFast(pdf)).toEqual({ ok: false, reason: 'font other than Type0 or TrueType', kind: 'font' });
    const extracted = await extractText(pdf);
    expect(extracted.via).toBe('pdfjs');
    expect(extracted.fastPathDeclined).toBe('font other than Type0 or TrueType');
    expect(extracted.fastPathDeclinedKind).toBe('font');
    expect(extracted.pages[0]!.items.map((item) => item.str)).toEqual(['Relevé client']);
    expect(extracted.pages[0]!.items[0]).toMatchObject({ x: 72, y: 700, height: 12 });
  });

  it('leaves an incrementally updated statement to pdfjs, with the same result', async () => {
    const original = readFileSync(new URL(fixtureNames[0]!, fixtures));
    const updated = appendEmptyUpdate(original);
    expect(extractTextFast(updated)).toEqual({ ok: false, reason: 'incremental update', kind: 'structure' });
    const extracted = await extractText(updated);
    expect(extracted.via).toBe('pdfjs');
    expect(await parseStatementPdf(updated)).toEqual(await parseStatementPdf(original));
  });

  it('reads a damaged statement of the fuzz corpus as pdfjs does, or leaves it to pdfjs', {
    timeout: 120_000,
  }, async () => {
    // The simulator's fixtures and one statement of each other producer.
    const sources = [
      ...fixtureNames.map((name) => readFileSync(new URL(name, fixtures))),
      ...PRODUCERS.map((producer) => readFileSync(producerFiles.find((file) => file.producer === producer)!.url)),
    ];
    const random = createRandom(20_240_327);
    const accepted: string[] = [];
    for (let index = 0; index < 300; index++) {
      const mutation = MUTATIONS[index % MUTATIONS.length]!;
      const data = mutatePdf(sources[random.int(0, sources.length - 1)]!, mutation, random);
      const fast = extractTextFast(data);
      if (!fast.ok) {
        expect(fast.reason.length).toBeGreaterThan(0);
        continue;
      }
      // A mutant the fast path reads must read the same through pdfjs.
      const reference = await extractText(data, { fastPath: false });
      accepted.push(...differences(fast.pages, reference.pages).map((difference) => `${index}: ${difference}`));
    }
    expect(accepted).toEqual([]);
  });
});

function stream(content: string): string {
  return `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`;
}

/** An edited one-revision PDF with its xref table written again (objects found by their `n 0 obj` headers). */
function rebuildXref(text: string): Uint8Array {
  const body = text.slice(0, text.lastIndexOf('\nxref') + 1);
  const offsets = new Map<number, number>();
  for (const match of body.matchAll(/(?<=[\r\n])(\d+) 0 obj\b/g)) offsets.set(Number(match[1]), match.index!);
  const size = Math.max(...offsets.keys()) + 1;
  let xref = `xref\n0 ${size}\n0000000000 65535 f \n`;
  for (let num = 1; num < size; num++) {
    const offset = offsets.get(num);
    xref += offset === undefined ? '0000000000 65535 f \n' : `${String(offset).padStart(10, '0')} 00000 n \n`;
  }
  const trailer = /trailer\s*(<<[\s\S]*?>>)\s*startxref/.exec(text)![1]!;
  return Buffer.from(`${body}${xref}trailer\n${trailer}\nstartxref\n${body.length}\n%%EOF\n`, 'latin1');
}
