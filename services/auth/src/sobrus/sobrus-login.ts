import type { Static } from '@pharma/shared/config';
import type { SobrusCookie } from '@pharma/shared/contracts';
import { AppError, UnauthorizedError, UnavailableError } from '@pharma/shared/errors';
import { errors, type Page } from 'playwright-core';
import type { BrowserLogins } from './browser-logins.js';

export type Cookie = Static<typeof SobrusCookie>;

export interface SobrusLoginOptions {
  appUrl: string;
  timeoutMs: number;
}

/** How often the page is looked at again while the sign-in finishes on its own (hops, scripted exchanges). */
const SESSION_POLL_MS = 100;

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
      const callback = returnAddress(page.url(), appOrigin);
      await page.click(SELECTORS.submit);
      await page.waitForSelector(SELECTORS.password, { state: 'visible' });
      await page.fill(SELECTORS.password, password);
      await page.click(SELECTORS.submit);
      const deadline = Date.now() + options.timeoutMs;
      const signedIn = waitForSession(page, appOrigin, callback, deadline).then(() => 'ok' as const);
      const refused = page.waitForSelector(SELECTORS.refused, { state: 'visible' }).then(() => 'refused' as const);
      signedIn.catch(() => {});
      refused.catch(() => {});
      const outcome = await Promise.race([signedIn, refused]);
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

/**
 * The app address the sign-in host was told to come back to, when the sign-in page's own address carries it (as
 * OAuth's redirect URI does): that page finishes the sign-in, it is not where the session is shown.
 */
function returnAddress(signInUrl: string, appOrigin: string): string | undefined {
  for (const value of new URL(signInUrl).searchParams.values()) {
    if (!URL.canParse(value)) continue;
    const url = new URL(value);
    if (url.origin === appOrigin) return url.pathname;
  }
  return undefined;
}

/**
 * Resolves once the browser is back on the app for good: on the app origin, not on the return address nor on a
 * URL still carrying a one-time `code`, the sign-in button gone and a cookie set for the app. Sites may hop
 * through authorize pages or exchange the code by script first: each of those pages fails one of the tests, so
 * the wait goes on until the deadline. Then it is a Playwright TimeoutError as for any step, or, when the app was
 * shown signed in all along but without a cookie, SOBRUS_NO_SESSION.
 */
async function waitForSession(
  page: Page,
  appOrigin: string,
  callback: string | undefined,
  deadline: number,
): Promise<void> {
  const onApp = (url: URL) => url.origin === appOrigin && url.pathname !== callback && !url.searchParams.has('code');
  let seen: Seen = 'elsewhere';
  for (;;) {
    const timeout = deadline - Date.now();
    if (timeout <= 0 && seen === 'no-cookie') {
      throw new UnavailableError('SOBRUS_NO_SESSION', 'Sobrus set no session cookie');
    }
    if (timeout <= 0) throw new errors.TimeoutError('the sign-in did not come back to the app');
    await page.waitForURL(onApp, { waitUntil: 'domcontentloaded', timeout });
    seen = await look(page, appOrigin, onApp);
    if (seen === 'session') return;
    await page.waitForTimeout(Math.min(SESSION_POLL_MS, Math.max(1, deadline - Date.now())));
  }
}

/** What the tab shows: the app signed in with a cookie, signed in without one, or something else. */
type Seen = 'session' | 'no-cookie' | 'elsewhere';

async function look(page: Page, appOrigin: string, onApp: (url: URL) => boolean): Promise<Seen> {
  try {
    const signInShown = (await page.locator(SELECTORS.signInButton).count()) > 0;
    const cookies = await page.context().cookies(appOrigin);
    // The page may have moved on while we looked: only a verdict about the page still shown counts.
    if (signInShown || !onApp(new URL(page.url()))) return 'elsewhere';
    return cookies.length > 0 ? 'session' : 'no-cookie';
  } catch {
    // A navigation destroyed the page's context mid-check: look again.
    return 'elsewhere';
  }
}
