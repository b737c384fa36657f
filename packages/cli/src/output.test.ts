import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Job } from './gateway-client.js';
import { createOutput, table } from './output.js';

const job = (done: number, total: number): Job => ({
  id: 'j1',
  kind: 'clients.refresh',
  status: 'running',
  progress: { done, total, stage: 'customers' },
  errors: [],
});

function capture() {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => chunks.join('') };
}

describe('createOutput', () => {
  it('draws a progress bar per change on a non-terminal stderr and prints the result as text', () => {
    const out = capture();
    const err = capture();
    const output = createOutput(false, out.stream, err.stream);
    output.progress(job(0, 4));
    output.progress(job(2, 4));
    output.progress(job(4, 4));
    output.progress({
      ...job(4, 4),
      progress: { done: 4, total: 4, stage: 'customersFound', params: { customers: 259 } },
    });
    output.progress({
      ...job(0, 3),
      progress: { done: 0, total: 3, stage: 'importing', params: { kind: 'sales' }, message: 'http://x/v.csv' },
    });
    output.result({ ok: true }, 'done');
    expect(err.text().split('\n').filter(Boolean)).toEqual([
      `[${'-'.repeat(30)}] 0/4 running customers`,
      `[${'#'.repeat(15)}${'-'.repeat(15)}] 2/4 running customers`,
      `[${'#'.repeat(30)}] 4/4 running customers`,
      `[${'#'.repeat(30)}] 4/4 running customersFound customers=259`,
      `[${'-'.repeat(30)}] 0/3 running importing kind=sales http://x/v.csv`,
    ]);
    expect(out.text()).toBe('done\n');
  });

  it('prints only JSON on stdout and no progress with --json', () => {
    const out = capture();
    const err = capture();
    const output = createOutput(true, out.stream, err.stream);
    output.info('starting');
    output.progress(job(1, 2));
    output.result({ status: 'succeeded' }, 'ignored');
    expect(err.text()).toBe('');
    expect(JSON.parse(out.text())).toEqual({ status: 'succeeded' });
  });
});

describe('table', () => {
  it('aligns columns under their headers and shows missing values as -', () => {
    const rows = [
      { key: 'C1', name: 'Pharmacie Atlas', balance: 1200.5 },
      { key: 'C22', name: 'Dr Amal', balance: null },
    ];
    expect(
      table(rows, [
        ['KEY', (r) => r.key],
        ['NAME', (r) => r.name],
        ['BALANCE', (r) => r.balance],
      ]).split('\n'),
    ).toEqual(['KEY  NAME             BALANCE', 'C1   Pharmacie Atlas  1200.5', 'C22  Dr Amal          -']);
  });
});
