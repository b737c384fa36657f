import { parseEnv, Type } from '@pharma/shared/config';
import { describe, expect, it } from 'vitest';
import { AlertsEnv, alertsConfig } from './alerts-config.js';

const load = (env: Record<string, string>) => alertsConfig(parseEnv(Type.Object(AlertsEnv), env));

describe('alertsConfig', () => {
  it('is disabled without an SMTP URL, or when switched off', () => {
    expect(load({})).toEqual({ enabled: false, reason: 'SMTP_URL is not set' });
    expect(load({ SMTP_URL: 'smtp://mail:25', ALERTS_ENABLED: 'false' })).toMatchObject({ enabled: false });
  });

  it('reads the SMTP URL, sender and recipient override', () => {
    expect(load({ SMTP_URL: 'smtps://u:p@mail:465', ALERTS_FROM: 'a@b.ma', ALERTS_TO: 'c@d.ma' })).toMatchObject({
      enabled: true,
      smtpUrl: 'smtps://u:p@mail:465',
      from: 'a@b.ma',
      to: 'c@d.ma',
    });
  });

  it('refuses other schemes and bad addresses without echoing the URL', () => {
    expect(() => load({ SMTP_URL: 'http://u:secret@mail' })).toThrow(/SMTP_URL/);
    expect(() => load({ SMTP_URL: 'http://u:secret@mail' })).not.toThrow(/secret/);
    expect(() => load({ SMTP_URL: 'smtp://mail', ALERTS_TO: 'nobody' })).toThrow(/ALERTS_TO/);
  });
});
