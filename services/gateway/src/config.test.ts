import { ConfigError } from '@pharma/shared/config';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('gateway configuration', () => {
  it('has safe defaults: strict login budget, cookie not Secure until told, the web build of the repository', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.security).toEqual({ rateLimitPerMinute: 600, loginRateLimitPerMinute: 10 });
    expect(config.cookie.secure).toBe(false);
    expect(config.web.dir.replaceAll('\\', '/')).toMatch(/packages\/web\/dist$/);
    expect(config.rpc.timeoutMs).toBe(10_000);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      GATEWAY_PORT: '9000',
      GATEWAY_RATE_LIMIT_PER_MINUTE: '50',
      GATEWAY_LOGIN_RATE_LIMIT_PER_MINUTE: '3',
      GATEWAY_COOKIE_SECURE: 'true',
      GATEWAY_WEB_DIR: '/srv/web',
      GATEWAY_RPC_TIMEOUT_MS: '2500',
      GATEWAY_SSE_KEEPALIVE_MS: '5000',
    });
    expect(config).toMatchObject({
      port: 9000,
      security: { rateLimitPerMinute: 50, loginRateLimitPerMinute: 3 },
      cookie: { secure: true },
      web: { dir: '/srv/web' },
      rpc: { timeoutMs: 2500 },
      sse: { keepAliveMs: 5000 },
    });
  });

  it('names each bad variable', () => {
    expect(() => loadConfig({ GATEWAY_LOGIN_RATE_LIMIT_PER_MINUTE: '0', GATEWAY_COOKIE_SECURE: 'maybe' })).toThrow(
      ConfigError,
    );
    try {
      loadConfig({ GATEWAY_LOGIN_RATE_LIMIT_PER_MINUTE: '0', GATEWAY_COOKIE_SECURE: 'maybe' });
    } catch (error) {
      expect((error as Error).message).toContain('GATEWAY_LOGIN_RATE_LIMIT_PER_MINUTE');
      expect((error as Error).message).toContain('GATEWAY_COOKIE_SECURE');
    }
  });
});
