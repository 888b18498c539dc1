import * as http from 'http';
import { BrowserContext, expect, Page } from '@playwright/test';
import * as os from 'os';
import * as path from 'path';

// Where the e2e server's file mailer writes (FIELDWORK_MAIL_DIR in playwright.config.ts).
export const mailDir = path.join(os.tmpdir(), 'fieldwork-e2e-mail-3107');

// What the journeys share: signing in (the sign-in page is plain HTML, its form posts natively
// and the app loads on Today), reading English labels, and screenshots into end2end/screenshots/.

export async function signIn(page: Page, email: string, password = 'fieldwork-demo') {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}

// Some demo users work in Bengali; the journeys read the English labels.
export async function inEnglish(page: Page) {
  const r = await page.request.patch('/api/v1/me', { data: { language: 'en' } });
  expect(r.status()).toBe(200);
  await page.context().addCookies([{ name: 'i18n_pref_locale', value: 'en', url: page.url() }]);
}

export async function shot(page: Page, name: string) {
  await page.screenshot({ path: `end2end/screenshots/${name}.png`, fullPage: false });
}

// A fixed-offset zone where it is late morning now, so "later today" (a stop, a showing in half
// an hour) is today for the user, the server and the browser alike.
export function lateMorningZone(): string {
  let offset = 10 - new Date().getUTCHours();
  if (offset < -12) offset += 24;
  if (offset > 14) offset -= 24;
  return offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

// No network, as a phone in a basement has none: the page's requests fail (setOffline), and so
// do the service worker's own (Playwright's offline mode does not reach service workers, so
// their requests are aborted by a route; see playwright.config.ts).
export async function goOffline(context: BrowserContext) {
  await context.setOffline(true);
  await context.route('**/*', (route) =>
    route.request().serviceWorker() ? route.abort('internetdisconnected') : route.fallback());
}

export async function goOnline(context: BrowserContext) {
  await context.unrouteAll({ behavior: 'ignoreErrors' });
  await context.setOffline(false);
}

// The app is installed (its service worker controls the page, the shell is cached) and the
// first sync is done.
export async function installedAndSynced(page: Page) {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  // A page whose navigation began while the worker was still installing may stay uncontrolled
  // (the worker claimed the clients before it existed); the next visit is controlled.
  if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller !== null);
  await expect(page.locator('.sync-status:visible')).toHaveAttribute('data-waiting', '0');
  await expect(page.locator('.sync-status:visible')).toContainText('Synced');
}

/// A one-page website on another origin (another port), serving `html`.
export async function otherSite(html: string): Promise<{ url: string, close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><head><title>Dhaka Homes — contact us</title></head><body><h1>Contact us</h1>${html}</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/contact.html`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
