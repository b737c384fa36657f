import type { Static } from '@pharma/shared/config';
import type { SobrusCookie } from '@pharma/shared/contracts';
import { AppError, UnauthorizedError, UnavailableError } from '@pharma/shared/errors';
import type { BrowserLogins } from './browser-logins.js';

export type Cookie = Static<typeof SobrusCookie>;

export interface SobrusLoginOptions {
  appUrl: string;
  timeoutMs: number;
}

const SELECTORS = {
  signInButton: `button[data-testid="s'identifier"]`,
  login: "input[name='login']",
  password: "input[name='password']",
  submit: 'button.btn-signup',
  refused: '.alert-danger',
};

export class SobrusCredentialsRejected extends UnauthorizedError {
  constructor() {
    super('Sobrus refused this e-mail and password', 'INVALID_CREDENTIALS');
  }
}

/**
 * Logs in to Sobrus the way a user does (landing page → sign-in host → back on the app) and returns the
 * session cookies. The password only passes through the browser's form field.
 */
export async function loginToSobrus(
  browserLogins: BrowserLogins,
  options: SobrusLoginOptions,
  email: string,
  password: string,
): Promise<Cookie[]> {
  const appOrigin = new URL(options.appUrl).origin;
  // Waiting for a browser slot happens before any step timeout starts.
  return browserLogins.run(email, async (context) => {
    try {
      context.setDefaultTimeout(options.timeoutMs);
      const page = await context.newPage();
      await page.goto(`${appOrigin}/`, { waitUntil: 'domcontentloaded' });
      await page.click(SELECTORS.signInButton);
      await page.fill(SELECTORS.login, email);
      await page.click(SELECTORS.submit);
      await page.waitForSelector(SELECTORS.password, { state: 'visible' });
      await page.fill(SELECTORS.password, password);
      await page.click(SELECTORS.submit);
      const backOnApp = page
        .waitForURL((url) => url.origin === appOrigin && !url.pathname.startsWith('/auth/'), {
          waitUntil: 'domcontentloaded',
        })
        .then(() => 'ok' as const);
      const refused = page.waitForSelector(SELECTORS.refused, { state: 'visible' }).then(() => 'refused' as const);
      backOnApp.catch(() => {});
      refused.catch(() => {});
      const outcome = await Promise.race([backOnApp, refused]);
      if (outcome === 'refused') throw new SobrusCredentialsRejected();
      const cookies = (await context.cookies()) as Cookie[];
      if (cookies.length === 0) throw new UnavailableError('SOBRUS_NO_SESSION', 'Sobrus set no session cookie');
      return cookies;
    } catch (error) {
      if (error instanceof AppError) throw error;
      // Playwright messages can quote the filled values: keep only the error class name.
      throw new UnavailableError('SOBRUS_UNAVAILABLE', `Sobrus login did not complete (${(error as Error).name})`);
    }
  });
}
