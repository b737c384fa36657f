/**
 * Counts failed logins per key (an account e-mail or a client address) in a sliding window. In memory: a
 * restart forgets the counts, which only gives an attacker a fresh window after an outage.
 */
export class FailureCounter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    const kept = (this.failures.get(key) ?? []).filter((at) => at > since);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }

  isBlocked(key: string): boolean {
    return this.recent(key).length >= this.limit;
  }

  /** Milliseconds until one more attempt is allowed (0 when not blocked). */
  retryAfterMs(key: string): number {
    const recent = this.recent(key);
    if (recent.length < this.limit) return 0;
    return Math.max(0, (recent[recent.length - this.limit] ?? 0) + this.windowMs - this.now());
  }

  record(key: string): void {
    this.failures.set(key, [...this.recent(key), this.now()]);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }
}

export interface LoginRateLimits {
  perAccount: number;
  perIp: number;
  windowMs: number;
}

export class LoginRateLimiter {
  private readonly accounts: FailureCounter;
  private readonly ips: FailureCounter;

  constructor(limits: LoginRateLimits, now: () => number = Date.now) {
    this.accounts = new FailureCounter(limits.perAccount, limits.windowMs, now);
    this.ips = new FailureCounter(limits.perIp, limits.windowMs, now);
  }

  /** Milliseconds to wait before trying this account from this address, 0 when allowed. */
  blockedFor(account: string, ip: string | undefined): number {
    return Math.max(this.accounts.retryAfterMs(account), ip ? this.ips.retryAfterMs(ip) : 0);
  }

  failed(account: string, ip: string | undefined): void {
    this.accounts.record(account);
    if (ip) this.ips.record(ip);
  }

  succeeded(account: string): void {
    this.accounts.reset(account);
  }
}
