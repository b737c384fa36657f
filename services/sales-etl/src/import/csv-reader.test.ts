import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { readCsv } from './csv-reader.js';

async function read(chunks: Buffer[], contentLength?: number) {
  const records: { record: string[]; raw: string; line: number }[] = [];
  const malformed: { raw: string; line: number }[] = [];
  const result = await readCsv(
    (async function* () {
      yield* chunks;
    })(),
    { maxBytes: 1_000_000, contentLength },
    {
      onRecord: (record, line, source) =>
        records.push({ record, raw: source.currentRaw().replace(/^[\r\n]+|[\r\n]+$/g, ''), line }),
      onMalformed: (raw, line) => malformed.push({ raw, line }),
    },
  );
  return { result, records, malformed };
}

describe('readCsv', () => {
  it('gives each record with its raw text and line, across chunk boundaries', async () => {
    const text = 'a;b\r\n1;"x;y"\r\n\r\n2;z\r\n';
    const bytes = Buffer.from(text);
    const { result, records } = await read([bytes.subarray(0, 7), bytes.subarray(7)]);
    expect(result).toEqual({ bytes: bytes.length, encoding: 'utf-8', delimiter: ';' });
    expect(records.map((r) => [r.record, r.raw, r.line])).toEqual([
      [['a', 'b'], 'a;b', 1],
      [['1', 'x;y'], '1;"x;y"', 2],
      [['2', 'z'], '2;z', 4],
    ]);
  });

  it('strips a UTF-8 BOM and decodes Windows-1251', async () => {
    const bom = await read([Buffer.from('\ufeffid,ville\n1,Fès\n')]);
    expect(bom.records.map((r) => r.raw)).toEqual(['\ufeffid,ville', '1,Fès']);
    expect(bom.records.map((r) => r.record)).toEqual([
      ['id', 'ville'],
      ['1', 'Fès'],
    ]);
    const cyrillic = await read([iconv.encode('id,ville\n1,Москва\n2,Казань\n', 'windows-1251')]);
    expect(cyrillic.result.encoding).toBe('windows-1251');
    expect(cyrillic.records.map((r) => r.record[1])).toEqual(['ville', 'Москва', 'Казань']);
    expect(cyrillic.records.map((r) => r.raw)).toEqual(['id,ville', '1,Москва', '2,Казань']);
  });

  it('reports a body shorter than its Content-Length', async () => {
    await expect(read([Buffer.from('a,b\n1,2\n')], 100)).rejects.toThrow('received 8 of 100 bytes');
  });
});
