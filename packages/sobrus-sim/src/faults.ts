import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** Where a fault can apply. */
export const ROUTE_IDS = ['app', 'accounts', 'customers', 'statement'] as const;
export type RouteId = (typeof ROUTE_IDS)[number];

const Rate = Type.Number({ minimum: 0, maximum: 1 });
const Millis = Type.Integer({ minimum: 0, maximum: 600_000 });
const RouteIdSchema = Type.Union(ROUTE_IDS.map((id) => Type.Literal(id)));

export const FaultSettingsSchema = Type.Object(
  {
    /** Added delay per route; `all` applies to every route without its own value. */
    latencyMs: Type.Optional(
      Type.Object({
        all: Type.Optional(Millis),
        app: Type.Optional(Millis),
        accounts: Type.Optional(Millis),
        customers: Type.Optional(Millis),
        statement: Type.Optional(Millis),
      }),
    ),
    /** Fractions of requests answered 500 / 502, or whose connection is destroyed; counter-based, not random. */
    http500Rate: Type.Optional(Rate),
    http502Rate: Type.Optional(Rate),
    dropRate: Type.Optional(Rate),
    /** Routes the three rates apply to; default: the customers JSON and the statement PDF. */
    errorRoutes: Type.Optional(Type.Array(RouteIdSchema)),
    /** A session dies after this many authenticated requests, or this many seconds. */
    sessionMaxRequests: Type.Optional(Type.Integer({ minimum: 1 })),
    sessionMaxAgeSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    /** Extra time spent producing each statement PDF. */
    pdfDelayMs: Type.Optional(Millis),
    /** Client keys (or `*`) whose statement comes back as truncated, garbled bytes (still 200 application/pdf). */
    corruptPdfCustomers: Type.Optional(Type.Array(Type.String())),
    /** Client keys (or `*`) whose statement prints one row with a Total that differs from its balance delta. */
    inconsistentCustomers: Type.Optional(Type.Array(Type.String())),
    /** Customers per page of the list (overrides the configured page size). */
    listPageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    /** Paper size of statements: changes how rows fall on pages. */
    pdfPageSize: Type.Optional(Type.Union([Type.Literal('A4'), Type.Literal('LETTER'), Type.Literal('LEGAL')])),
  },
  { additionalProperties: false },
);
export type FaultSettings = Static<typeof FaultSettingsSchema>;

export type FailureDecision = 'drop' | 500 | 502 | null;

const DEFAULT_ERROR_ROUTES: RouteId[] = ['customers', 'statement'];
const GLOBAL = '*';

export function parseFaultSettings(value: unknown): FaultSettings {
  if (!Value.Check(FaultSettingsSchema, value)) {
    const first = [...Value.Errors(FaultSettingsSchema, value)][0];
    throw new Error(`invalid fault settings${first ? ` at ${first.path || '/'}: ${first.message}` : ''}`);
  }
  return value;
}

/**
 * Faults set globally or per account (account settings override global ones field by field). Failures are
 * decided by counters per (scope, route), so a rate of 0.25 fails exactly the 4th, 8th, ... request.
 */
export class FaultController {
  private readonly scopes = new Map<string, FaultSettings>();
  private readonly credits = new Map<string, number>();

  constructor(global: FaultSettings = {}) {
    this.scopes.set(GLOBAL, { ...global });
  }

  /** Replaces the settings of one scope (global when no account is given). */
  set(settings: FaultSettings, account?: string): void {
    this.scopes.set(scopeOf(account), { ...parseFaultSettings(settings) });
    this.resetCounters(account);
  }

  /** Merges settings into one scope. */
  update(settings: FaultSettings, account?: string): void {
    const scope = scopeOf(account);
    this.scopes.set(scope, { ...this.scopes.get(scope), ...parseFaultSettings(settings) });
  }

  /** Removes every fault and resets every counter. */
  clear(): void {
    this.scopes.clear();
    this.scopes.set(GLOBAL, {});
    this.credits.clear();
  }

  snapshot(): { global: FaultSettings; accounts: Record<string, FaultSettings> } {
    const accounts: Record<string, FaultSettings> = {};
    for (const [scope, settings] of this.scopes) if (scope !== GLOBAL) accounts[scope] = settings;
    return { global: this.scopes.get(GLOBAL) ?? {}, accounts };
  }

  effective(account?: string): FaultSettings {
    const global = this.scopes.get(GLOBAL) ?? {};
    const own = account ? this.scopes.get(scopeOf(account)) : undefined;
    if (!own) return global;
    return { ...global, ...own, latencyMs: { ...global.latencyMs, ...own.latencyMs } };
  }

  latencyFor(route: RouteId, account?: string): number {
    const latency = this.effective(account).latencyMs;
    return latency?.[route] ?? latency?.all ?? 0;
  }

  /** Counts one request on a route and says whether it must fail, and how. */
  decideFailure(route: RouteId, account?: string): FailureDecision {
    const settings = this.effective(account);
    if (!(settings.errorRoutes ?? DEFAULT_ERROR_ROUTES).includes(route)) return null;
    const scope = account && this.scopes.has(scopeOf(account)) ? scopeOf(account) : GLOBAL;
    if (this.due(`${scope}|${route}|drop`, settings.dropRate)) return 'drop';
    if (this.due(`${scope}|${route}|500`, settings.http500Rate)) return 500;
    if (this.due(`${scope}|${route}|502`, settings.http502Rate)) return 502;
    return null;
  }

  appliesTo(list: string[] | undefined, customerId: string): boolean {
    return list !== undefined && (list.includes('*') || list.includes(customerId));
  }

  private due(counter: string, rate: number | undefined): boolean {
    if (!rate) return false;
    const credit = (this.credits.get(counter) ?? 0) + rate;
    // The epsilon keeps rates like 0.1 exact over many requests despite floating point.
    const fire = credit >= 1 - 1e-9;
    this.credits.set(counter, fire ? credit - 1 : credit);
    return fire;
  }

  private resetCounters(account?: string): void {
    const prefix = `${scopeOf(account)}|`;
    for (const key of [...this.credits.keys()]) if (key.startsWith(prefix)) this.credits.delete(key);
  }
}

function scopeOf(account?: string): string {
  return account ? account.trim().toLowerCase() : GLOBAL;
}
