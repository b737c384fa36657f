import type { Static } from '@pharma/shared/config';
import type { Principal } from '@pharma/shared/contracts';
import { AppError, UnauthorizedError } from '@pharma/shared/errors';
import type { Log } from '@pharma/shared/logger';
import { burnPasswordCheck, verifyPassword } from '../crypto/password-hash.js';
import { API_TOKEN_PREFIX, hashToken, newToken, SESSION_TOKEN_PREFIX } from '../crypto/tokens.js';
import type { LoginRateLimiter } from '../domain/login-rate-limiter.js';
import type { AuthRepository, SessionRow } from '../repositories/auth.repository.js';
import type { Cookie } from '../sobrus/sobrus-login.js';
import type { CredentialVault } from './credential-vault.js';
import type { SobrusSessionService } from './sobrus-session.service.js';

type PrincipalT = Static<typeof Principal>;

export class LoginRateLimited extends AppError {
  constructor(retryAfterMs: number) {
    super('LOGIN_RATE_LIMITED', `Too many failed logins: try again in ${Math.ceil(retryAfterMs / 1000)} s`, {
      statusCode: 429,
      details: { retryAfterMs },
    });
  }
}

const invalidCredentials = () => new UnauthorizedError('Wrong e-mail or password', 'INVALID_CREDENTIALS');

export interface LoginDeps {
  repository: AuthRepository;
  limiter: LoginRateLimiter;
  vault: CredentialVault;
  sobrusSessions: SobrusSessionService;
  sobrusLogin(email: string, password: string): Promise<Cookie[]>;
  sessionTtlMs: number;
  logger: Log;
  now?: () => number;
}

export interface LoginInput {
  email: string;
  password: string;
  kind?: 'pharmacy' | 'staff' | undefined;
  clientIp?: string | undefined;
}

const principalOf = (row: SessionRow): PrincipalT => ({
  kind: row.kind,
  id: row.subjectId,
  email: row.email,
  role: row.role,
  owner: row.email,
  ...(row.pharmacyId ? { pharmacyId: row.pharmacyId } : {}),
});

/** Platform logins (Sobrus credentials or staff passwords), token verification and logout. */
export function createLoginService(deps: LoginDeps) {
  const now = deps.now ?? Date.now;

  async function openSession(principal: PrincipalT) {
    const token = newToken(SESSION_TOKEN_PREFIX);
    const expiresAt = new Date(now() + deps.sessionTtlMs);
    await deps.repository.insertSession({
      tokenHash: hashToken(token),
      kind: principal.kind,
      subjectId: principal.id,
      email: principal.email,
      role: principal.role,
      pharmacyId: principal.pharmacyId ?? null,
      expiresAt,
    });
    return { token, expiresAt: expiresAt.toISOString(), principal };
  }

  async function staffLogin(email: string, password: string) {
    const staff = await deps.repository.staffByEmail(email);
    if (!staff || staff.disabledAt) {
      await burnPasswordCheck(password);
      return undefined;
    }
    if (!(await verifyPassword(password, staff.passwordHash))) return undefined;
    return { kind: 'staff', id: `staff:${staff.id}`, email, role: staff.role, owner: email } satisfies PrincipalT;
  }

  async function pharmacyLogin(email: string, password: string) {
    const cookies = await deps.sobrusLogin(email, password);
    await deps.sobrusSessions.store(email, cookies);
    const principal: PrincipalT = {
      kind: 'pharmacy',
      id: email,
      email,
      role: 'pharmacy',
      owner: email,
      pharmacyId: email,
    };
    return principal;
  }

  return {
    async login(input: LoginInput) {
      const email = input.email.trim().toLowerCase();
      const blockedMs = deps.limiter.blockedFor(email, input.clientIp);
      if (blockedMs > 0) throw new LoginRateLimited(blockedMs);
      const kind = input.kind ?? ((await deps.repository.staffByEmail(email)) ? 'staff' : 'pharmacy');
      let principal: PrincipalT | undefined;
      try {
        principal =
          kind === 'staff' ? await staffLogin(email, input.password) : await pharmacyLogin(email, input.password);
      } catch (error) {
        if (error instanceof UnauthorizedError) principal = undefined;
        else throw error;
      }
      if (!principal) {
        deps.limiter.failed(email, input.clientIp);
        deps.logger.info({ email, kind, clientIp: input.clientIp }, 'login refused');
        throw invalidCredentials();
      }
      deps.limiter.succeeded(email);
      const session = await openSession(principal);
      if (principal.kind === 'pharmacy') deps.vault.remember(email, input.password, new Date(session.expiresAt));
      deps.logger.info({ email, kind, role: principal.role }, 'login');
      return session;
    },

    async verify(token: string) {
      const tokenHash = hashToken(token);
      const at = new Date(now());
      if (token.startsWith(SESSION_TOKEN_PREFIX)) {
        const row = await deps.repository.activeSessionByHash(tokenHash, at);
        if (row) return { principal: principalOf(row), expiresAt: row.expiresAt.toISOString() };
      } else if (token.startsWith(API_TOKEN_PREFIX)) {
        const row = await deps.repository.activeApiTokenByHash(tokenHash, at);
        if (row) {
          const principal: PrincipalT = {
            kind: row.role === 'pharmacy' ? 'pharmacy' : 'staff',
            id: `token:${row.id}`,
            email: row.owner,
            role: row.role,
            owner: row.owner,
            ...(row.pharmacyId ? { pharmacyId: row.pharmacyId } : {}),
          };
          return { principal, ...(row.expiresAt ? { expiresAt: row.expiresAt.toISOString() } : {}) };
        }
      }
      throw new UnauthorizedError('The session expired or does not exist: log in again', 'SESSION_INVALID');
    },

    async logout(token: string) {
      const row = await deps.repository.revokeSession(hashToken(token), new Date(now()));
      if (!row) return { loggedOut: false };
      if (
        row.pharmacyId &&
        (await deps.repository.countActivePharmacySessions(row.pharmacyId, new Date(now()))) === 0
      ) {
        deps.vault.forget(row.pharmacyId);
      }
      deps.logger.info({ email: row.email }, 'logout');
      return { loggedOut: true };
    },
  };
}

export type LoginService = ReturnType<typeof createLoginService>;
