import type { Subscription } from '@nats-io/nats-core';
import { authLoginRpc, authLogoutRpc, authSobrusSessionRpc, authVerifyRpc } from '@pharma/shared/contracts';
import type { Log } from '@pharma/shared/logger';
import { type NatsContext, serveRpc } from '@pharma/shared/messaging';
import type { LoginService } from '../services/login.service.js';
import type { SobrusSessionService } from '../services/sobrus-session.service.js';

export interface AuthRpcDeps {
  nats: NatsContext;
  logins: LoginService;
  sobrusSessions: SobrusSessionService;
  logger: Log;
}

export function serveAuthRpc({ nats, logins, sobrusSessions, logger }: AuthRpcDeps): Subscription[] {
  return [
    serveRpc(nats, authLoginRpc, { logger, handler: (request) => logins.login(request) }),
    serveRpc(nats, authVerifyRpc, { logger, handler: (request) => logins.verify(request.token) }),
    serveRpc(nats, authLogoutRpc, { logger, handler: (request) => logins.logout(request.token) }),
    serveRpc(nats, authSobrusSessionRpc, {
      logger,
      handler: (request) =>
        sobrusSessions.get(request.pharmacyId.toLowerCase(), {
          ...(request.forceRefresh !== undefined ? { forceRefresh: request.forceRefresh } : {}),
          ...(request.staleVersion !== undefined ? { staleVersion: request.staleVersion } : {}),
        }),
    }),
  ];
}
