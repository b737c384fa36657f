import { fileURLToPath } from 'node:url';
import { createServiceApp, natsPlugin, packageVersion, postgresPlugin } from '@pharma/shared/fastify';
import type { Logger } from '@pharma/shared/logger';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { createAuthDb } from './db/client.js';
import { LoginRateLimiter } from './domain/login-rate-limiter.js';
import { createAuthRepository } from './repositories/auth.repository.js';
import { serveAuthRpc } from './rpc/auth.handlers.js';
import { CredentialVault } from './services/credential-vault.js';
import { createLoginService } from './services/login.service.js';
import { openCookieBox } from './services/secrets.js';
import { createSobrusSessionService } from './services/sobrus-session.service.js';
import { BrowserLogins } from './sobrus/browser-logins.js';
import { loginToSobrus } from './sobrus/sobrus-login.js';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));

export async function buildApp(config: Config, logger: Logger): Promise<FastifyInstance> {
  const app = await createServiceApp({ service: 'auth', version: packageVersion(import.meta.url), logger });
  await app.register(postgresPlugin, { ...config.postgres, migrationsFolder: MIGRATIONS_FOLDER });
  await app.register(natsPlugin, config.nats);

  const box = await openCookieBox(config.encryptionKey, config.dataDir, app.log);
  const repository = createAuthRepository(createAuthDb(app.pg));
  const browserLogins = new BrowserLogins({
    chromiumPath: config.chromiumPath,
    ...config.browserLogins,
    closeTimeoutMs: config.sobrus.loginTimeoutMs,
    logger: app.log,
  });
  app.addHook('onClose', () => browserLogins.close());
  // Chromium starts in the background once the service is up, so the first login does not wait for it.
  app.addHook('onReady', async () => {
    browserLogins.browsers
      .get()
      .catch((error) => app.log.warn({ err: error }, 'chromium did not start; retried at first login'));
  });
  const sobrusLogin = (email: string, password: string) =>
    loginToSobrus(
      browserLogins,
      { appUrl: config.sobrus.appUrl, timeoutMs: config.sobrus.loginTimeoutMs },
      email,
      password,
    );
  const vault = new CredentialVault();
  const sobrusSessions = createSobrusSessionService({
    repository,
    box,
    vault,
    login: sobrusLogin,
    maxAgeMs: config.sobrus.sessionMaxAgeMs,
    logger: app.log,
  });
  const logins = createLoginService({
    repository,
    limiter: new LoginRateLimiter(config.rateLimits),
    vault,
    sobrusSessions,
    sobrusLogin,
    sessionTtlMs: config.sessionTtlMs,
    logger: app.log,
  });
  const subscriptions = serveAuthRpc({ nats: app.nats, logins, sobrusSessions, logger: app.log });
  app.addHook('preClose', async () => {
    for (const subscription of subscriptions) subscription.unsubscribe();
  });
  return app;
}
