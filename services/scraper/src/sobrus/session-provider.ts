import type { Static } from '@pharma/shared/config';
import { authSobrusSessionRpc, type SobrusCookie } from '@pharma/shared/contracts';
import { AppError } from '@pharma/shared/errors';
import { type NatsContext, RpcRemoteError, requestRpc } from '@pharma/shared/messaging';

export type Cookie = Static<typeof SobrusCookie>;

export interface SobrusSession {
  cookies: Cookie[];
  version: number;
}

/** Where requests get their cookies; the HTTP client and the DOM path depend on this only. */
export interface SessionSource {
  readonly pharmacyId: string;
  current(): Promise<SobrusSession>;
  renew(stale: SobrusSession): Promise<SobrusSession>;
  /** A request succeeded with this session: the renewals before it were not in vain. */
  confirm(session: SobrusSession): void;
  readonly renewalCount: number;
}

/** The Sobrus session of one pharmacy for the length of a job, renewed through auth when Sobrus rejects it. */
export class SessionProvider implements SessionSource {
  private session: Promise<SobrusSession> | undefined;
  private renewals = 0;
  /** Renewals since a request last succeeded: a site that refuses every fresh session stops the job. */
  private strikes = 0;
  private renewingFrom: number | undefined;

  constructor(
    private readonly nats: NatsContext,
    readonly pharmacyId: string,
    private readonly options: { timeoutMs: number; maxRenewals: number },
  ) {}

  current(): Promise<SobrusSession> {
    if (!this.session) this.session = this.ask({});
    return this.session;
  }

  /** Called when a request made with `stale` was refused: all callers that saw it share one renewal. */
  async renew(stale: SobrusSession): Promise<SobrusSession> {
    const current = await this.current().catch(() => undefined);
    if (current && current.version !== stale.version) return current;
    if (this.renewingFrom === stale.version && this.session) return this.session;
    if (++this.strikes > this.options.maxRenewals) {
      throw new AppError(
        'SOBRUS_SESSION_UNSTABLE',
        `Sobrus rejected ${this.options.maxRenewals} fresh sessions in a row`,
        {
          statusCode: 502,
        },
      );
    }
    this.renewals += 1;
    this.renewingFrom = stale.version;
    this.session = this.ask({ forceRefresh: true, staleVersion: stale.version });
    return this.session;
  }

  confirm(session: SobrusSession): void {
    if (session.version !== this.renewingFrom) this.strikes = 0;
  }

  get renewalCount(): number {
    return this.renewals;
  }

  private async ask(flags: { forceRefresh?: boolean; staleVersion?: number }): Promise<SobrusSession> {
    try {
      const reply = await requestRpc(
        this.nats,
        authSobrusSessionRpc,
        { pharmacyId: this.pharmacyId, ...flags },
        { timeoutMs: this.options.timeoutMs },
      );
      return { cookies: reply.cookies, version: reply.version };
    } catch (error) {
      if (error instanceof RpcRemoteError && error.statusCode < 500) {
        throw new AppError(error.code, error.message, { statusCode: error.statusCode, retryable: false });
      }
      throw error;
    }
  }
}

function domainMatches(host: string, domain: string): boolean {
  const bare = domain.replace(/^\./, '').toLowerCase();
  return host === bare || host.endsWith(`.${bare}`);
}

/** The Cookie header for a URL: cookies of its host (ports ignored, like browsers); all of them if none match. */
export function cookieHeader(cookies: Cookie[], url: URL): string {
  const host = url.hostname.toLowerCase();
  const matching = cookies.filter(
    (cookie) => domainMatches(host, cookie.domain) && url.pathname.startsWith(cookie.path),
  );
  return (matching.length > 0 ? matching : cookies).map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
}
