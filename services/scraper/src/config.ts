import { Bool, CommonEnv, commonConfig, type Env, Millis, Port, parseEnv, Type, Url } from '@pharma/shared/config';
import { SERVICES } from '@pharma/shared/services';

const Count = (min: number, max: number, value: number) => Type.Integer({ minimum: min, maximum: max, default: value });

const EnvSchema = Type.Object({
  ...CommonEnv,
  SCRAPER_PORT: Port(SERVICES.scraper.port),
  SOBRUS_APP_URL: Url({ default: 'https://app.pharma.sobrus.com' }),
  SOBRUS_API_URL: Url({ default: 'https://api.pharma.sobrus.com' }),
  CHROMIUM_PATH: Type.String({ minLength: 1, default: '/usr/bin/chromium' }),
  SCRAPER_JOB_CONCURRENCY: Count(1, 64, 2),
  SCRAPER_LIST_CONCURRENCY: Count(1, 64, 6),
  SCRAPER_CLICK_FALLBACK: Bool(true),
  /** Start Chromium with the service, so the first refresh of a site does not wait for its launch (about 1 s). */
  SCRAPER_BROWSER_WARM: Bool(true),
  /** `auto`: replay the list's API (remembered or learned), clicking only when that fails; `click`: always click. */
  SCRAPER_LIST_PATH: Type.Union([Type.Literal('auto'), Type.Literal('click')], { default: 'auto' }),
  SCRAPER_BROWSER_TIMEOUT_MS: Millis(30_000),
  SCRAPER_STATEMENT_CONCURRENCY: Count(1, 256, 8),
  SCRAPER_REQUEST_TIMEOUT_MS: Millis(60_000),
  SCRAPER_RETRIES: Count(0, 20, 6),
  SCRAPER_BACKOFF_BASE_MS: Millis(250),
  SCRAPER_BACKOFF_MAX_MS: Millis(8_000),
  SCRAPER_MAX_SESSION_RENEWALS: Count(0, 1000, 20),
  SCRAPER_MAX_PDF_BYTES: Count(1024, 1024 * 1024 * 1024, 64 * 1024 * 1024),
  SCRAPER_AUTH_TIMEOUT_MS: Millis(90_000),
});

export type Config = ReturnType<typeof loadConfig>;
export type SobrusHttpConfig = Config['http'];

export function loadConfig(env: Env) {
  const vars = parseEnv(EnvSchema, env);
  return {
    ...commonConfig(vars, vars.SCRAPER_PORT),
    sobrus: { appUrl: vars.SOBRUS_APP_URL.replace(/\/$/, ''), apiUrl: vars.SOBRUS_API_URL.replace(/\/$/, '') },
    chromiumPath: vars.CHROMIUM_PATH,
    jobConcurrency: vars.SCRAPER_JOB_CONCURRENCY,
    customers: {
      concurrency: vars.SCRAPER_LIST_CONCURRENCY,
      clickFallback: vars.SCRAPER_CLICK_FALLBACK,
      warmBrowser: vars.SCRAPER_BROWSER_WARM,
      path: vars.SCRAPER_LIST_PATH,
      browserTimeoutMs: vars.SCRAPER_BROWSER_TIMEOUT_MS,
    },
    statements: {
      concurrency: vars.SCRAPER_STATEMENT_CONCURRENCY,
      maxPdfBytes: vars.SCRAPER_MAX_PDF_BYTES,
    },
    http: {
      timeoutMs: vars.SCRAPER_REQUEST_TIMEOUT_MS,
      retries: vars.SCRAPER_RETRIES,
      backoffBaseMs: vars.SCRAPER_BACKOFF_BASE_MS,
      backoffMaxMs: vars.SCRAPER_BACKOFF_MAX_MS,
      maxSessionRenewals: vars.SCRAPER_MAX_SESSION_RENEWALS,
    },
    authTimeoutMs: vars.SCRAPER_AUTH_TIMEOUT_MS,
  };
}
