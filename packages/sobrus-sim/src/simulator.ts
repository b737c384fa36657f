import type { AddressInfo } from 'node:net';
import { createLogger, type Log } from '@pharma/shared/logger';
import type { FastifyInstance } from 'fastify';
import type { Account } from './domain/accounts.js';
import { todayIso } from './domain/dates.js';
import { FaultController, type FaultSettings } from './faults.js';
import { createAccountsServer } from './http/accounts.server.js';
import { createApiServer } from './http/api.server.js';
import { createAppServer } from './http/app.server.js';
import type { SimContext } from './http/context.js';
import { printOptionsFor } from './http/print-options.js';
import { SessionStore } from './http/sessions.js';
import { Simulation } from './simulation.js';
import { DEFAULT_SITE, SITE_TRAITS, type SiteVariant } from './site-variants.js';
import { createTruth, type Truth } from './truth.js';

export interface SimulatorOptions {
  /** Interface to listen on; also the host of the returned URLs. Default 127.0.0.1. */
  host?: string;
  /** 0 (the default) picks a free port. */
  appPort?: number;
  apiPort?: number;
  accountsPort?: number;
  seed?: string;
  /** Customers of the demo account and pharmacie01. Default 259. */
  customers?: number;
  /** Shape of the customer list and of the sign-in (see `SITE_VARIANTS`). Default `classic`. */
  site?: SiteVariant;
  /** Customers per page of the list. Default: the site variant's (20 for `classic`). */
  pageSize?: number;
  /** Last day of the simulated history (YYYY-MM-DD). Default: today (UTC) at start. */
  today?: string;
  accounts?: Account[];
  /** Global faults in force from the start. */
  faults?: FaultSettings;
  /** Defaults to a silent logger. */
  log?: Log;
}

export interface RunningSimulator {
  appUrl: string;
  apiUrl: string;
  accountsUrl: string;
  /** Expected customers and statements, as printed under the faults currently in force. */
  truth: Truth;
  site: SiteVariant;
  faults: FaultController;
  simulation: Simulation;
  close(): Promise<void>;
}

export const DEFAULT_SEED = 'sobrus-sim';

/** Starts the app, api and accounts origins on their own ports. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const host = options.host ?? '127.0.0.1';
  const site = options.site ?? DEFAULT_SITE;
  if (!SITE_TRAITS[site]) throw new Error(`unknown site variant ${site}`);
  const simulation = new Simulation({
    seed: options.seed ?? DEFAULT_SEED,
    customers: options.customers ?? 259,
    today: options.today ?? todayIso(),
    ...(options.accounts ? { accounts: options.accounts } : {}),
  });
  const context: SimContext = {
    simulation,
    faults: new FaultController(options.faults ?? {}),
    sessions: new SessionStore(),
    urls: { app: '', api: '', accounts: '' },
    site,
    pageSize: options.pageSize ?? SITE_TRAITS[site].pageSize,
    log: options.log ?? createLogger({ service: 'sobrus-sim', level: 'silent' }),
  };
  const servers: FastifyInstance[] = [];
  try {
    const app = await createAppServer(context);
    servers.push(app);
    const api = await createApiServer(context);
    servers.push(api);
    const accounts = await createAccountsServer(context);
    servers.push(accounts);
    context.urls.app = await listen(app, host, options.appPort ?? 0);
    context.urls.api = await listen(api, host, options.apiPort ?? 0);
    context.urls.accounts = await listen(accounts, host, options.accountsPort ?? 0);
  } catch (error) {
    await Promise.allSettled(servers.map((server) => server.close()));
    throw error;
  }
  return {
    appUrl: context.urls.app,
    apiUrl: context.urls.api,
    accountsUrl: context.urls.accounts,
    truth: createTruth(simulation, (account, customerId) => printOptionsFor(context, account, customerId)),
    site,
    faults: context.faults,
    simulation,
    close: async () => {
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}

async function listen(server: FastifyInstance, host: string, port: number): Promise<string> {
  await server.listen({ host, port });
  const address = server.server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return `http://${shownHost}:${address.port}`;
}
