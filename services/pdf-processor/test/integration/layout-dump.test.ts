import { LAYOUT_DUMPS_BUCKET, LAYOUT_DUMPS_KEEP_DAYS } from '@pharma/shared/contracts';
import { type ObjectStore, openObjectStore } from '@pharma/shared/messaging';
import { renderStatementPdf, Simulation } from '@pharma/sobrus-sim';
import type { TestNats } from '@pharma/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEPT_WORDS } from '../../src/domain/layout-redaction.js';
import { extractText } from '../../src/pdf/extract-text.js';
import type { StatementLayoutDocument } from '../../src/services/layout-dump.service.js';
import { type PdfProcessorUnderTest, startPdfProcessor } from '../helpers/pdf-service.js';
import { announcePdf, type StatementResult, type StatementResults } from '../helpers/statement-events.js';
import { unknownProducerStatement } from '../helpers/text-pdf.js';

const BUCKET = 'statements';
const JOB = 'job-layout';
const CUSTOMER = 'Amine Tazi';
const keyOf = (word: string) => word.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
const KEPT = new Set(KEPT_WORDS.map(keyOf));

/** Every word is x's or a kept word, every digit a 9: nothing of the statement's data is left. */
function leftovers(texts: string[]): string[] {
  const found: string[] = [];
  for (const text of texts) {
    if (/(?!9)\p{N}/u.test(text)) found.push(text);
    for (const word of text.match(/[\p{L}°.]+/gu) ?? []) {
      const key = keyOf(word);
      if (/^[x.]+$/.test(word) || KEPT.has(key) || KEPT.has(key.replace(/^\.+|\.+$/g, ''))) continue;
      found.push(word);
    }
  }
  return found;
}

describe('layout dumps of statements we cannot read', () => {
  let nats: TestNats;
  let store: ObjectStore;
  // Opened once the pdf-processor has created the bucket (with its expiry), never before.
  let dumps: ObjectStore | undefined;
  const dumpStore = async () => {
    dumps ??= await openObjectStore(nats.ctx, LAYOUT_DUMPS_BUCKET);
    return dumps;
  };
  let results: StatementResults;

  let service: PdfProcessorUnderTest;

  beforeAll(async () => {
    service = await startPdfProcessor({ bucket: BUCKET });
    ({ nats, store, results } = service);
  });

  afterAll(async () => service?.close());

  async function submit(clientKey: string, data: Uint8Array, customerName = CUSTOMER): Promise<StatementResult> {
    const name = `pharmacie@example.ma/${clientKey}/2024-01-01_2024-03-31/${JOB}.pdf`;
    await store.putBlob({ name }, data);
    await announcePdf(nats, {
      bucket: BUCKET,
      name,
      data,
      clientKey,
      jobId: JOB,
      customerName,
      from: '2024-01-01',
      to: '2024-03-31',
    });
    return results.resultFor(clientKey);
  }

  async function readDump(name: string): Promise<{ text: string; dump: StatementLayoutDocument }> {
    const blob = await (await dumpStore()).getBlob(name);
    expect(blob, name).not.toBeNull();
    const text = new TextDecoder().decode(blob!);
    return { text, dump: JSON.parse(text) };
  }

  it('keeps the redacted layout of a rejected statement and names it in the failed event', async () => {
    const pdf = unknownProducerStatement(CUSTOMER);
    const event = await submit('1001', pdf);
    expect(event.subject).toBe('sobrus.statement.failed');
    expect(event.payload.code).toBe('NOT_A_STATEMENT');
    expect(event.payload.layoutDump).toEqual({
      bucket: LAYOUT_DUMPS_BUCKET,
      name: `${JOB}/1001/2024-01-01_2024-03-31.json`,
      size: expect.any(Number),
    });
    const { text, dump } = await readDump(event.payload.layoutDump!.name);
    expect(Buffer.byteLength(text)).toBe(event.payload.layoutDump!.size);

    expect(dump).toMatchObject({
      kind: 'statement-layout',
      statement: { jobId: JOB, clientKey: '1001', from: '2024-01-01', to: '2024-03-31' },
      outcome: { code: 'NOT_A_STATEMENT', reason: event.payload.reason },
      producer: 'Acme Reports 3.1',
      creator: 'ERP Export',
      pdfVersion: '1.4',
    });
    expect(dump.reader.via).toBe((await extractText(pdf)).via);
    expect(dump.fonts.map((font) => font.name).sort()).toEqual(['Helvetica', 'Helvetica-Bold']);
    expect(dump.pages).toHaveLength(1);
    expect(dump.pages[0]).toMatchObject({ page: 1, width: 595, height: 842 });
    const bold = dump.fonts.find((font) => font.name === 'Helvetica-Bold')!.id;
    // Where the producer put things, in what font and size: the header row, the row, the balance brought forward.
    expect(dump.pages[0]!.items).toEqual(
      expect.arrayContaining([
        { text: 'Relevé client détaillé', x: 40, y: 790, width: expect.any(Number), size: 14, font: bold },
        { text: 'Client : xxxxx xxxx', x: 40, y: 758, width: expect.any(Number), size: 9, font: expect.any(String) },
        { text: 'Date', x: 40, y: 720, width: expect.any(Number), size: 9, font: bold },
        { text: 'xxxxx', x: 110, y: 720, width: expect.any(Number), size: 9, font: bold },
        { text: '9999-99-99', x: 40, y: 705, width: expect.any(Number), size: 9, font: expect.any(String) },
        { text: 'x-999999', x: 110, y: 705, width: expect.any(Number), size: 9, font: expect.any(String) },
        { text: '9 999,99', x: 400, y: 705, width: expect.any(Number), size: 9, font: expect.any(String) },
        { text: 'Total : 9 999,99', x: 400, y: 680, width: expect.any(Number), size: 9, font: bold },
      ]),
    );

    // No digit and no letter of the customer, the pharmacy or the amounts survives, anywhere in the object.
    expect(leftovers(dump.pages.flatMap((page) => page.items.map((item) => item.text)))).toEqual([]);
    for (const secret of ['Amine', 'Tazi', 'Atlas', 'Rabat', '1 250', '2 500', '000123', 'pharmacie@example.ma']) {
      expect(text.includes(secret), secret).toBe(false);
    }
  });

  it('keeps the layout of a parsed statement whose balances do not add up, and names it in the parsed event', async () => {
    const simulation = new Simulation({ seed: 'layout-dumps', customers: 5, today: '2024-03-31' });
    const account = simulation.accounts()[0]!;
    const customer = simulation.customers(account.email)[0]!;
    const statement = simulation.statement({
      account: account.email,
      customerId: customer.id,
      startDate: '2017-01-01',
      endDate: '2024-03-31',
    });
    // The closing balance printed 10,00 off what the rows add up to.
    const { pdf } = await renderStatementPdf({
      pharmacyName: account.pharmacyName,
      customerName: customer.name,
      statement: { ...statement, closingBalance: statement.closingBalance + 1000 },
    });
    const event = await submit('1002', pdf, customer.name);
    expect(event.subject).toBe('sobrus.statement.parsed');
    expect((event.payload.statement as { verdict: string }).verdict).toBe('mismatch');
    expect(event.payload.layoutDump).toMatchObject({
      bucket: LAYOUT_DUMPS_BUCKET,
      name: `${JOB}/1002/2024-01-01_2024-03-31.json`,
    });
    const { text, dump } = await readDump(event.payload.layoutDump!.name);
    expect(dump.outcome).toMatchObject({ verdict: 'mismatch' });
    expect(JSON.stringify(dump.outcome)).toContain('closing_balance_mismatch');
    expect(dump.producer).toBe('Sobrus');
    expect(dump.fonts.every((font) => /\+DejaVuSans/.test(font.name))).toBe(true);
    const texts = dump.pages.flatMap((page) => page.items.map((item) => item.text));
    expect(texts).toContain('Date');
    expect(texts.some((item) => item.startsWith('Solde final : '))).toBe(true);
    expect(leftovers(texts)).toEqual([]);
    for (const part of customer.name.split(/\s+/).filter((word) => word.length >= 3)) {
      expect(text.includes(part), part).toBe(false);
    }
  });

  it('keeps no dump for a statement that parsed, nor for a file that is not a PDF', async () => {
    const simulation = new Simulation({ seed: 'layout-dumps', customers: 5, today: '2024-03-31' });
    const account = simulation.accounts()[0]!;
    const customer = simulation.customers(account.email)[1]!;
    const printed = await simulation.print({
      account: account.email,
      customerId: customer.id,
      startDate: '2017-01-01',
      endDate: '2024-03-31',
    });
    const parsed = await submit('1003', printed.pdf, customer.name);
    expect(parsed.subject).toBe('sobrus.statement.parsed');
    expect((parsed.payload.statement as { verdict: string }).verdict).not.toBe('mismatch');
    expect(parsed.payload.layoutDump).toBeUndefined();

    const html = await submit('1004', new TextEncoder().encode('<html>session expired</html>'));
    expect(html.payload).toMatchObject({ code: 'NOT_PDF' });
    expect(html.payload.layoutDump).toBeUndefined();
    const names = (await (await dumpStore()).list()).map((info) => info.name);
    expect(names.some((name) => name.includes('/1003/') || name.includes('/1004/'))).toBe(false);
  });

  it('keeps dumps in a bucket that forgets them after 30 days', async () => {
    const status = await (await dumpStore()).status();
    expect(status.ttl).toBe(LAYOUT_DUMPS_KEEP_DAYS * 86_400 * 1e9);
  });
});
