import { AppError } from '@pharma/shared/errors';
import type { Log } from '@pharma/shared/logger';
import type { SecretBox } from '../crypto/secret-box.js';
import type { AuthRepository, SobrusSessionRow } from '../repositories/auth.repository.js';
import type { Cookie } from '../sobrus/sobrus-login.js';
import type { CredentialVault } from './credential-vault.js';

export class SobrusReloginRequired extends AppError {
  constructor() {
    super(
      'SOBRUS_RELOGIN_REQUIRED',
      'The Sobrus session of this pharmacy expired and cannot be renewed: log in to the platform again',
      { statusCode: 401, retryable: false },
    );
  }
}

export interface SobrusSession {
  pharmacyId: string;
  cookies: Cookie[];
  version: number;
  obtainedAt: string;
}

export interface SobrusSessionDeps {
  repository: AuthRepository;
  box: SecretBox;
  vault: CredentialVault;
  login(email: string, password: string): Promise<Cookie[]>;
  maxAgeMs: number;
  logger: Log;
  now?: () => number;
}

/** Sobrus sessions per pharmacy: sealed in Postgres, renewed by logging in again with the in-memory password. */
export function createSobrusSessionService(deps: SobrusSessionDeps) {
  const now = deps.now ?? Date.now;
  const renewing = new Map<string, Promise<SobrusSession>>();

  const unseal = (row: SobrusSessionRow): SobrusSession => ({
    pharmacyId: row.pharmacyId,
    cookies: JSON.parse(deps.box.openText(row.cookiesSealed, row.pharmacyId)) as Cookie[],
    version: row.version,
    obtainedAt: row.obtainedAt.toISOString(),
  });

  async function store(pharmacyId: string, cookies: Cookie[]): Promise<SobrusSession> {
    const row = await deps.repository.saveSobrusSession(
      pharmacyId,
      deps.box.seal(JSON.stringify(cookies), pharmacyId),
      new Date(now()),
    );
    return { pharmacyId, cookies, version: row.version, obtainedAt: row.obtainedAt.toISOString() };
  }

  /** One Sobrus login at a time per pharmacy: concurrent callers that saw the same expiry share it. */
  function renew(pharmacyId: string): Promise<SobrusSession> {
    let pending = renewing.get(pharmacyId);
    if (!pending) {
      pending = (async () => {
        const password = deps.vault.reveal(pharmacyId);
        if (password === undefined) throw new SobrusReloginRequired();
        const started = now();
        const cookies = await deps.login(pharmacyId, password);
        const session = await store(pharmacyId, cookies);
        deps.logger.info({ pharmacyId, version: session.version, ms: now() - started }, 'sobrus session renewed');
        return session;
      })().finally(() => renewing.delete(pharmacyId));
      renewing.set(pharmacyId, pending);
    }
    return pending;
  }

  return {
    store,

    async get(pharmacyId: string, options: { forceRefresh?: boolean; staleVersion?: number } = {}) {
      const inFlight = renewing.get(pharmacyId);
      if (inFlight) return inFlight;
      const row = await deps.repository.sobrusSession(pharmacyId);
      if (row) {
        const fresh = now() - row.obtainedAt.getTime() < deps.maxAgeMs;
        // A caller reporting an older version than the stored one gets the newer session without a login.
        const alreadyRenewed = options.staleVersion !== undefined && row.version > options.staleVersion;
        if (fresh && (!options.forceRefresh || alreadyRenewed)) return unseal(row);
      }
      return renew(pharmacyId);
    },
  };
}

export type SobrusSessionService = ReturnType<typeof createSobrusSessionService>;
