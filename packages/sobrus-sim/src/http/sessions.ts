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
  private readonly codes = new Map<string, string>();
  private readonly tickets = new Map<string, string>();

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

  /** A one-time code the accounts origin hands to the app through the redirect. */
  issueCode(account: string): string {
    const code = randomBytes(16).toString('base64url');
    this.codes.set(code, account);
    return code;
  }

  redeemCode(code: string): string | undefined {
    const account = this.codes.get(code);
    this.codes.delete(code);
    return account;
  }

  /** A one-time ticket the accounts origin hands to its own authorize page (never valid as a code). */
  issueTicket(account: string): string {
    const ticket = randomBytes(16).toString('base64url');
    this.tickets.set(ticket, account);
    return ticket;
  }

  redeemTicket(ticket: string): string | undefined {
    const account = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    return account;
  }
}
