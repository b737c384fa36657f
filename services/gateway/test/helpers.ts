import { randomBytes } from 'node:crypto';
import { UnauthorizedError } from '@pharma/shared/errors';
import type { Logger } from '@pharma/shared/logger';
import type { FastifyInstance, HTTPMethods } from 'fastify';
import { expect } from 'vitest';
import { buildApp } from '../src/app.js';
import type { AuthClient } from '../src/auth/auth-client.js';
import { loadConfig } from '../src/config.js';
import type { Principal } from '../src/plugins/auth.plugin.js';

export interface TestAccount {
  email: string;
  password: string;
  principal: Principal;
}

export const pharmacyAccount = (email: string, password = 'secret'): TestAccount => ({
  email,
  password,
  principal: { kind: 'pharmacy', owner: email, role: 'pharmacy', pharmacyId: email },
});

export const staffAccount = (email: string, role: 'ops' | 'admin' = 'ops', password = 'secret'): TestAccount => ({
  email,
  password,
  principal: { kind: 'staff', owner: email, role },
});

/** Sessions held in memory: stands in for the auth service when the gateway is tested alone. */
export function inMemoryAuth(accounts: TestAccount[]): AuthClient & { sessions: Map<string, Principal> } {
  const sessions = new Map<string, Principal>();
  return {
    sessions,
    async login({ email, password }) {
      const account = accounts.find((a) => a.email === email.toLowerCase() && a.password === password);
      if (!account) throw new UnauthorizedError('Wrong e-mail or password', 'INVALID_CREDENTIALS');
      const token = randomBytes(24).toString('base64url');
      sessions.set(token, account.principal);
      return { token, principal: account.principal, expiresAt: new Date(Date.now() + 3_600_000).toISOString() };
    },
    async verify(token) {
      const principal = sessions.get(token);
      if (!principal) throw new UnauthorizedError('Session expired or unknown', 'SESSION_INVALID');
      return principal;
    },
    async logout(token) {
      sessions.delete(token);
    },
  };
}

export interface GatewayOptions {
  natsUrl: string;
  prefix: string;
  logger: Logger;
  /** Without it, the gateway asks the auth service over NATS as in production. */
  auth?: AuthClient;
  env?: Record<string, string>;
}

export async function startGateway(options: GatewayOptions): Promise<FastifyInstance> {
  const config = loadConfig({
    NATS_URL: options.natsUrl,
    NATS_PREFIX: options.prefix,
    GATEWAY_PORT: '0',
    GATEWAY_RPC_TIMEOUT_MS: '5000',
    HEALTH_TIMEOUT_MS: '300',
    GATEWAY_SSE_KEEPALIVE_MS: '1000',
    ...options.env,
  });
  const app = await buildApp(config, options.logger, options.auth ? { auth: options.auth } : {});
  await app.ready();
  return app;
}

/** Logs in through the API and returns the bearer header of the session. */
export async function loginAs(app: FastifyInstance, account: TestAccount): Promise<Record<string, string>> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: account.email, password: account.password },
  });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  return { authorization: `Bearer ${response.json<{ token: string }>().token}` };
}

/** Logs each account in through the API: its bearer header under `key(account)` (its role unless told). */
export async function loginEach(
  app: FastifyInstance,
  accounts: TestAccount[],
  key: (account: TestAccount) => string = (account) => account.principal.role,
): Promise<Record<string, Record<string, string>>> {
  const headers: Record<string, Record<string, string>> = {};
  for (const account of accounts) headers[key(account)] = await loginAs(app, account);
  return headers;
}

/** A gateway over the test NATS whose sessions are held in memory for `accounts`. */
export const inMemoryGateway = (nats: { url: string; prefix: string }, accounts: TestAccount[], logger: Logger) =>
  startGateway({ natsUrl: nats.url, prefix: nats.prefix, logger, auth: inMemoryAuth(accounts) });

/**
 * Asks `method url` as `headers` (none: anonymous), with an empty JSON body when `body`, and expects
 * `status` (the route named in the failure).
 */
export async function expectAnswer(
  app: FastifyInstance,
  [method, url]: readonly [HTTPMethods, string],
  status: number,
  { headers, body = false }: { headers?: Record<string, string>; body?: boolean } = {},
): Promise<void> {
  const response = await app.inject({ method, url, headers, payload: body ? {} : undefined });
  expect(response.statusCode, `${method} ${url}`).toBe(status);
}
