import { randomBytes } from 'node:crypto';
import type { FaultSettings } from '../faults.js';

export const SESSION_COOKIE = 'sobrus_session';

export interface Session {
  id: string;
  account: string;
  createdAt: number;
  requests: number;
}

/**
 * In-memory sessions. The cookie is set without Domain or port, so the browser sends it to the app, the api
 * and the accounts origins alike (cookies ignore ports), like Sobrus's cookies shared by its subdomains.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  /** One-time codes the accounts origin hands to the app through the redirect. */
  readonly codes = new OneTimeTokens();
  /** One-time tickets the accounts origin hands to its own authorize page (never valid as a code). */
  readonly tickets = new OneTimeTokens();

  constructor(private readonly now: () => number = Date.now) {}

  create(account: string): Session {
    const session = { id: randomBytes(24).toString('base64url'), account, createdAt: this.now(), requests: 0 };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The session behind a cookie, without counting a request. */
  peek(id: string | undefined): Session | undefined {
    return id ? this.sessions.get(id) : undefined;
  }

  /** Counts one authenticated request; an expired session is removed and not returned. */
  use(id: string | undefined, faults: FaultSettings): Session | undefined {
    const session = this.peek(id);
    if (!session) return undefined;
    const tooOld =
      faults.sessionMaxAgeSeconds !== undefined && this.now() - session.createdAt > faults.sessionMaxAgeSeconds * 1000;
    const tooUsed = faults.sessionMaxRequests !== undefined && session.requests >= faults.sessionMaxRequests;
    if (tooOld || tooUsed) {
      this.sessions.delete(session.id);
      return undefined;
    }
    session.requests += 1;
    return session;
  }

  delete(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }
}

/** Tokens that each stand for an account once: redeeming one forgets it. */
export class OneTimeTokens {
  private readonly accounts = new Map<string, string>();

  issue(account: string): string {
    const token = randomBytes(16).toString('base64url');
    this.accounts.set(token, account);
    return token;
  }

  redeem(token: string): string | undefined {
    const account = this.accounts.get(token);
    this.accounts.delete(token);
    return account;
  }
}
