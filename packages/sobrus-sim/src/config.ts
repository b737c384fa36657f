import { CommonEnv, type Env, Port, parseEnv } from '@pharma/shared/config';
import { Type } from '@sinclair/typebox';
import { type FaultSettings, parseFaultSettings } from './faults.js';
import type { SimulatorOptions } from './simulator.js';
import { DEFAULT_SITE, SITE_TRAITS, SITE_VARIANTS, type SiteVariant } from './site-variants.js';

const SimEnv = Type.Object({
  LOG_LEVEL: CommonEnv.LOG_LEVEL,
  SIM_HOST: Type.String({ default: '127.0.0.1' }),
  SIM_APP_PORT: Port(9080),
  SIM_API_PORT: Port(9081),
  SIM_ACCOUNTS_PORT: Port(9082),
  SIM_SEED: Type.String({ minLength: 1, default: 'sobrus-sim' }),
  SIM_CUSTOMERS: Type.Integer({ minimum: 0, maximum: 100_000, default: 259 }),
  /** Shape of the customer list and of the sign-in: one of SITE_VARIANTS. */
  SIM_SITE: Type.Unsafe<SiteVariant>({
    ...Type.Union(SITE_VARIANTS.map((site) => Type.Literal(site))),
    default: DEFAULT_SITE,
  }),
  /** Default: the site variant's page size (20 for classic). */
  SIM_PAGE_SIZE: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  SIM_TODAY: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
  /** Global faults as JSON, e.g. {"latencyMs":{"statement":200},"http500Rate":0.1}. */
  SIM_FAULTS: Type.Optional(Type.String()),
  /** Shorthand for {"latencyMs":{"all":n}}. */
  SIM_LATENCY_MS: Type.Optional(Type.Integer({ minimum: 0 })),
});

export interface SimulatorConfig {
  logLevel: string;
  simulator: Required<
    Pick<SimulatorOptions, 'host' | 'appPort' | 'apiPort' | 'accountsPort' | 'seed' | 'site' | 'pageSize'>
  > &
    Pick<SimulatorOptions, 'customers' | 'today' | 'faults'>;
}

export function loadConfig(env: Env = process.env): SimulatorConfig {
  const parsed = parseEnv(SimEnv, env);
  return {
    logLevel: parsed.LOG_LEVEL,
    simulator: {
      host: parsed.SIM_HOST,
      appPort: parsed.SIM_APP_PORT,
      apiPort: parsed.SIM_API_PORT,
      accountsPort: parsed.SIM_ACCOUNTS_PORT,
      seed: parsed.SIM_SEED,
      customers: parsed.SIM_CUSTOMERS,
      site: parsed.SIM_SITE,
      pageSize: parsed.SIM_PAGE_SIZE ?? SITE_TRAITS[parsed.SIM_SITE].pageSize,
      ...(parsed.SIM_TODAY ? { today: parsed.SIM_TODAY } : {}),
      faults: faultsFromEnv(parsed.SIM_FAULTS, parsed.SIM_LATENCY_MS),
    },
  };
}

function faultsFromEnv(json: string | undefined, latencyMs: number | undefined): FaultSettings {
  let faults: FaultSettings = {};
  if (json) {
    try {
      faults = parseFaultSettings(JSON.parse(json));
    } catch (error) {
      throw new Error(`SIM_FAULTS is invalid (${(error as Error).message})`);
    }
  }
  if (latencyMs !== undefined) faults = { ...faults, latencyMs: { all: latencyMs, ...faults.latencyMs } };
  return faults;
}
