import { describe, expect, it } from 'vitest';
import { LoginRateLimiter } from './login-rate-limiter.js';

describe('LoginRateLimiter', () => {
  it('blocks an account after its failures, until the window passes', () => {
    let now = 0;
    const limiter = new LoginRateLimiter({ perAccount: 3, perIp: 100, windowMs: 1000 }, () => now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.blockedFor('a@x', '1.1.1.1')).toBe(0);
      limiter.failed('a@x', '1.1.1.1');
      now += 100;
    }
    expect(limiter.blockedFor('a@x', '1.1.1.1')).toBeGreaterThan(0);
    expect(limiter.blockedFor('b@x', '1.1.1.1')).toBe(0);
    now = 1001;
    expect(limiter.blockedFor('a@x', '1.1.1.1')).toBe(0);
  });

  it('blocks an address that tries many accounts', () => {
    const limiter = new LoginRateLimiter({ perAccount: 100, perIp: 2, windowMs: 60_000 });
    limiter.failed('a@x', '9.9.9.9');
    limiter.failed('b@x', '9.9.9.9');
    expect(limiter.blockedFor('c@x', '9.9.9.9')).toBeGreaterThan(0);
    expect(limiter.blockedFor('c@x', '8.8.8.8')).toBe(0);
  });

  it('forgets an account failures after a success', () => {
    const limiter = new LoginRateLimiter({ perAccount: 2, perIp: 100, windowMs: 60_000 });
    limiter.failed('a@x', undefined);
    limiter.succeeded('a@x');
    limiter.failed('a@x', undefined);
    expect(limiter.blockedFor('a@x', undefined)).toBe(0);
  });
});
