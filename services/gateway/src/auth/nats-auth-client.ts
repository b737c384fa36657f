import { type Principal as AuthPrincipal, authLoginRpc, authLogoutRpc, authVerifyRpc } from '@pharma/shared/contracts';
import { type NatsContext, requestRpc } from '@pharma/shared/messaging';
import type { Static } from '@sinclair/typebox';
import type { Principal } from '../plugins/auth.plugin.js';
import type { AuthClient } from './auth-client.js';

export interface NatsAuthOptions {
  /** Verify and logout are quick lookups. */
  timeoutMs: number;
  /** A pharmacy login drives a browser through Sobrus: it takes seconds. */
  loginTimeoutMs: number;
}

function toPrincipal(principal: Static<typeof AuthPrincipal>): Principal {
  return {
    kind: principal.kind,
    owner: principal.owner,
    role: principal.role,
    id: principal.id,
    email: principal.email,
    ...(principal.pharmacyId ? { pharmacyId: principal.pharmacyId } : {}),
  };
}

/** The auth service over NATS request/reply; its 401/429 answers reach the caller unchanged. */
export function natsAuthClient(nats: NatsContext, options: NatsAuthOptions): AuthClient {
  return {
    async login({ email, password, clientIp }) {
      const session = await requestRpc(
        nats,
        authLoginRpc,
        { email, password, ...(clientIp ? { clientIp } : {}) },
        { timeoutMs: options.loginTimeoutMs },
      );
      return { token: session.token, expiresAt: session.expiresAt, principal: toPrincipal(session.principal) };
    },
    async verify(token) {
      const { principal } = await requestRpc(nats, authVerifyRpc, { token }, { timeoutMs: options.timeoutMs });
      return toPrincipal(principal);
    },
    async logout(token) {
      await requestRpc(nats, authLogoutRpc, { token }, { timeoutMs: options.timeoutMs });
    },
  };
}
