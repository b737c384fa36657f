import { describe, expect, it } from 'vitest';
import { maskExchange, maskJson, maskRequest, maskText } from './redact.js';

describe('masking for diagnostic bundles', () => {
  it('keeps the shape of a text, not its letters or digits', () => {
    expect(maskText("Lalla d’Aïcha O'Neil, 06 12 34")).toBe("Xxxxx x’Xxxxx X'Xxxx, 99 99 99");
    expect(maskText('amine.tazi@mail.ma')).toBe('xxxxx.xxxx@xxxx.xx');
  });

  it('keeps field names, nesting and the envelope counts; masks every record value and amount', () => {
    const masked = maskJson({
      data: { results: [{ id: 2284309, fullName: 'Amine Tazi', balance: -1234.56, tags: ['vip'] }] },
      meta: { totalCount: 301, perPage: 25, sum: 1234.56, label: 'Clients' },
    });
    expect(masked).toEqual({
      data: { results: [{ id: 9999999, fullName: 'Xxxxx Xxxx', balance: 9999.99, tags: ['xxx'] }] },
      meta: { totalCount: 301, perPage: 25, sum: 9999.99, label: 'Xxxxxxx' },
    });
  });

  it('leaves no credential in a request and masks what may identify the pharmacy', () => {
    const request = maskRequest({
      method: 'POST',
      url: 'https://user:pw@app.test/pharmacies/8812345/customers?page=2&q=Tazi&access_token=abc',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer abc',
        'x-csrf-token': 'abc',
        'x-tenant': 'pharmacie-du-centre',
      },
      body: JSON.stringify({ paging: { pageIndex: 1 }, filter: { name: 'Tazi' } }),
    });
    expect(request).toEqual({
      method: 'POST',
      url: 'https://app.test/pharmacies/9999999/customers?page=2&q=Xxxx&access_token=%5Bremoved%5D',
      headers: { 'content-type': 'application/json', 'x-tenant': 'xxxxxxxxx-xx-xxxxxx' },
      body: JSON.stringify({ paging: { pageIndex: 1 }, filter: { name: 'Xxxx' } }),
    });
    expect(JSON.stringify(maskExchange({ request, status: 200, json: { token: 'abc' } }))).not.toContain('abc');
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOjF9';
    expect(maskRequest({ method: 'GET', url: `https://app.test/api/v3/t/${token}/customers`, headers: {} }).url).toBe(
      `https://app.test/api/v3/t/${maskText(token)}/customers`,
    );
  });
});
