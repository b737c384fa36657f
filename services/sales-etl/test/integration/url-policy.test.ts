import { describe, expect, it } from 'vitest';
import { BlockedAddressError, guardedLookup } from '../../src/fetch/guarded-lookup.js';
import { openDownload } from '../../src/fetch/safe-download.js';
import { startCsvServer } from '../helpers/csv-server.js';

const options = { maxBytes: 1_000, timeoutMs: 2_000, retries: 0, retryDelayMs: 10, maxRedirects: 2 };

describe('URL policy', () => {
  it('refuses a host name that resolves to a loopback address', async () => {
    const error = await new Promise<Error | null>((resolve) =>
      guardedLookup(false)('localhost', { all: true }, (failure) => resolve(failure)),
    );
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect(error?.message).toMatch(/^host localhost resolves to (127\.0\.0\.1|::1), a private or loopback address$/);
  });

  it('refuses loopback URLs unless allowed, and checks every redirect hop', async () => {
    const server = await startCsvServer();
    try {
      server.route('/a.csv', { body: 'id,ville\n1,Fès\n' });
      server.route('/hop.csv', { location: '/a.csv' });
      server.route('/loop.csv', { location: '/loop.csv' });
      await expect(openDownload(server.url('/a.csv'), { ...options, allowPrivate: false })).rejects.toMatchObject({
        code: 'URL_REFUSED',
        message: 'address 127.0.0.1 is private or loopback',
      });
      const followed = await openDownload(server.url('/hop.csv'), { ...options, allowPrivate: true });
      expect(followed).toMatchObject({ notModified: false, url: server.url('/a.csv') });
      if (!followed.notModified) followed.body.destroy();
      await expect(openDownload(server.url('/loop.csv'), { ...options, allowPrivate: true })).rejects.toMatchObject({
        code: 'TOO_MANY_REDIRECTS',
      });
    } finally {
      await server.close();
    }
  });
});
