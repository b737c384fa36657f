import { describe, expect, it } from 'vitest';
import { checkUrlShape, isPrivateAddress } from './address-policy.js';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '0.0.0.0',
    '::1',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '100.64.0.1',
  ])('%s is private', (address) => expect(isPrivateAddress(address)).toBe(true));
  it.each(['8.8.8.8', '93.184.216.34', '2606:4700::1111', '::ffff:8.8.8.8'])('%s is public', (address) =>
    expect(isPrivateAddress(address)).toBe(false),
  );
});

describe('checkUrlShape', () => {
  it.each([
    ['ftp://example.com/a.csv', 'scheme ftp: is not allowed (http and https only)'],
    ['file:///etc/passwd', 'scheme file: is not allowed (http and https only)'],
    ['http://127.0.0.1/a.csv', 'address 127.0.0.1 is private or loopback'],
    ['http://[::1]:8080/a.csv', 'address ::1 is private or loopback'],
    ['http://localhost/a.csv', 'host localhost is loopback'],
    ['http://user:pw@example.com/a.csv', 'URLs with credentials are not allowed'],
    ['not a url', '"not a url" is not a URL'],
  ])('refuses %s', (url, reason) => expect(checkUrlShape(url, false)).toEqual({ ok: false, reason }));

  it('accepts public URLs, and loopback when allowed', () => {
    expect(checkUrlShape('https://example.com/ventes.csv', false).ok).toBe(true);
    expect(checkUrlShape('http://127.0.0.1:8080/ventes.csv', true).ok).toBe(true);
  });
});
