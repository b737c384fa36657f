import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('auth config: browser logins', () => {
  it('bounds browser logins at 4 at once with a 40 s wait by default, and reads both variables', () => {
    expect(loadConfig({}).browserLogins).toEqual({ concurrency: 4, maxWaitMs: 40_000 });
    expect(
      loadConfig({ AUTH_BROWSER_LOGIN_CONCURRENCY: '2', AUTH_BROWSER_LOGIN_MAX_WAIT_MS: '15000' }).browserLogins,
    ).toEqual({ concurrency: 2, maxWaitMs: 15_000 });
  });

  it.each([
    ['AUTH_BROWSER_LOGIN_CONCURRENCY', '0'],
    ['AUTH_BROWSER_LOGIN_CONCURRENCY', 'many'],
    ['AUTH_BROWSER_LOGIN_MAX_WAIT_MS', '0'],
    ['AUTH_BROWSER_LOGIN_MAX_WAIT_MS', '3600000'],
  ])('refuses %s=%s, naming the variable', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(variable);
  });
});
