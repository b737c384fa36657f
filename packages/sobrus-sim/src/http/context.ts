import type { Log } from '@pharma/shared/logger';
import type { FastifyRequest } from 'fastify';
import type { FaultController, RouteId } from '../faults.js';
import type { Simulation } from '../simulation.js';
import type { SiteVariant } from '../site-variants.js';
import { SESSION_COOKIE, type Session, type SessionStore } from './sessions.js';

export interface SimulatorUrls {
  app: string;
  api: string;
  accounts: string;
}

/** What the three origins share. `urls` is filled once every server listens. */
export interface SimContext {
  simulation: Simulation;
  faults: FaultController;
  sessions: SessionStore;
  urls: SimulatorUrls;
  /** The shape of the customer list (and of the sign-in) this simulator serves. */
  site: SiteVariant;
  /** Customers per page: the option, or the site variant's own default. */
  pageSize: number;
  log: Log;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Marks a route as subject to faults (latency, errors, drops). Admin and truth routes have none. */
    simRoute?: RouteId;
  }
}

export function sessionCookie(request: FastifyRequest): string | undefined {
  return request.cookies[SESSION_COOKIE];
}

/** The caller's session, counting this request (which may expire it under the session faults). */
export function authenticate(context: SimContext, request: FastifyRequest): Session | undefined {
  const id = sessionCookie(request);
  const account = context.sessions.peek(id)?.account;
  return context.sessions.use(id, context.faults.effective(account));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
