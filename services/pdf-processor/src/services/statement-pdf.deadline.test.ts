import { describe, expect, it } from 'vitest';
import { withDeadline } from './statement-pdf.service.js';

describe('withDeadline (object reads that a NATS restart leaves hanging)', () => {
  it('answers what the read answers in time', async () => {
    await expect(withDeadline(Promise.resolve(new Uint8Array([1, 2])), 1_000, 'read')).resolves.toEqual(
      new Uint8Array([1, 2]),
    );
  });

  it('fails a read that never ends, naming it', async () => {
    await expect(withDeadline(new Promise(() => {}), 50, 'reading a.pdf')).rejects.toThrow(/reading a\.pdf.*50 ms/);
  });

  it('passes a failed read on as it is', async () => {
    await expect(withDeadline(Promise.reject(new Error('gone')), 1_000, 'read')).rejects.toThrow('gone');
  });
});
