import { Bool, Millis, requireThat, type Static, Type } from '@pharma/shared/config';

const Address = Type.String({ pattern: '^[^\\s@<>]+@[^\\s@<>]+$' });

/** E-mail alerts about statements whose verdict is not `ok`. */
export const AlertsEnv = {
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://[^\\s]+$' })),
  ALERTS_ENABLED: Bool(true),
  ALERTS_FROM: Type.String({ ...Address, default: 'alertes@localhost' }),
  ALERTS_TO: Type.Optional(Address),
  ALERTS_RETRY_MIN_MS: Millis(5_000),
  ALERTS_RETRY_MAX_MS: Millis(300_000),
  ALERTS_POLL_MS: Millis(30_000),
};

const AlertsEnvSchema = Type.Object(AlertsEnv);

export type AlertsConfig =
  | { enabled: false; reason: string }
  | {
      enabled: true;
      smtpUrl: string;
      from: string;
      /** Overrides the recipient, which is otherwise the pharmacy's own e-mail. */
      to?: string;
      retryMinMs: number;
      retryMaxMs: number;
      pollMs: number;
    };

export function alertsConfig(vars: Static<typeof AlertsEnvSchema>): AlertsConfig {
  requireThat(
    vars.ALERTS_RETRY_MAX_MS >= vars.ALERTS_RETRY_MIN_MS,
    'ALERTS_RETRY_MAX_MS',
    'must be at least ALERTS_RETRY_MIN_MS',
  );
  if (!vars.ALERTS_ENABLED) return { enabled: false, reason: 'ALERTS_ENABLED is false' };
  if (!vars.SMTP_URL) return { enabled: false, reason: 'SMTP_URL is not set' };
  return {
    enabled: true,
    smtpUrl: vars.SMTP_URL,
    from: vars.ALERTS_FROM,
    ...(vars.ALERTS_TO ? { to: vars.ALERTS_TO } : {}),
    retryMinMs: vars.ALERTS_RETRY_MIN_MS,
    retryMaxMs: vars.ALERTS_RETRY_MAX_MS,
    pollMs: vars.ALERTS_POLL_MS,
  };
}
