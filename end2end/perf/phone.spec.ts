import { Browser, BrowserContext, CDPSession, devices, expect, Page, test } from '@playwright/test';
import { appendRows, signInRep } from './bench';

// How fast Fieldwork opens on a mid-range phone on a slow network: the sign-in page and a
// rep's Today, cold (empty cache, no service worker) and warm (installed: the service worker
// holds the shell), under Chrome DevTools' "Slow 4G" preset and a 4× slower CPU, through CDP.
//
// The sign-in page installs no service worker (signing in does): its warm load is a second
// visit with the browser's cache.
//
// For each load: LCP (the largest contentful paint before the first tap), the moment the app
// is hydrated (the sign-in page is plain HTML with no app: the moment its document is parsed),
// and — on Today — the moment a tap on "New lead" first gets an answer (taps go
// in every 50 ms from the moment the button is on screen; before hydration they do nothing).
// Also what the cold load downloads as wasm, JS and CSS (bytes on the wire).
//
// Not part of the test suite: `cargo xtask bench --only phone` runs it (end2end/perf.config.ts)
// and puts the figures in its table (FIELDWORK_BENCH_OUT).

const RUNS = Number(process.env.FIELDWORK_BENCH_PHONE_RUNS ?? '5');

// DevTools' "Slow 4G": Lighthouse's mobile profile (150 ms RTT, 1.6 Mbps down, 750 kbps up) as
// DevTools applies it to a real connection (RTT × 3.75, throughput × 0.9).
const SLOW_4G = {
  offline: false,
  latency: 150 * 3.75,
  downloadThroughput: (1.6 * 1024 * 1024 * 0.9) / 8,
  uploadThroughput: (750 * 1024 * 0.9) / 8,
};
const CPU_SLOWDOWN = 4;

type Load = { lcp: number; hydrated: number; tap?: number; bytes: number };

// Runs in the page before its own scripts: keeps the last LCP entry before input, and the
// moments the body is marked hydrated and "New lead" first opens.
function observe() {
  const w = window as unknown as Record<string, number>;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      w.__lcp = entry.startTime;
      // Which element it was, for the log (where the largest paint comes from).
      const element = (entry as PerformanceEntry & { element?: Element }).element;
      (window as unknown as { __lcpElement?: string }).__lcpElement = element?.outerHTML.slice(0, 100) ?? '(removed)';
    }
  }).observe({ type: 'largest-contentful-paint', buffered: true });
  new MutationObserver(() => {
    if (w.__hydrated === undefined && document.body?.getAttribute('data-hydrated') === 'true') {
      w.__hydrated = performance.now();
    }
    const lead = document.querySelector('button[aria-controls="new-lead"]');
    if (w.__tap === undefined && lead?.getAttribute('aria-expanded') === 'true') w.__tap = performance.now();
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-hydrated', 'aria-expanded'] });
}

async function throttled(context: BrowserContext): Promise<{ page: Page; cdp: CDPSession }> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  await throttleServiceWorkers(context).catch((e) => console.warn(`the service worker is not throttled: ${e}`));
  return { page, cdp };
}

// CDP throttling of a page does not reach its service worker's own fetches (the installed
// app's navigations go through the worker): the worker's target gets the same conditions.
async function throttleServiceWorkers(context: BrowserContext) {
  const browser = context.browser() as Browser;
  const cdp = await browser.newBrowserCDPSession();
  const { targetInfos } = await cdp.send('Target.getTargets');
  let id = 0;
  for (const target of targetInfos.filter((t) => t.type === 'service_worker')) {
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
    for (const [method, params] of [['Network.enable', {}], ['Network.emulateNetworkConditions', SLOW_4G]] as const) {
      await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: ++id, method, params }) });
    }
  }
}

async function load(context: BrowserContext, path: string, tap: boolean, plain = false): Promise<Load> {
  const { page, cdp } = await throttled(context);
  // The app's own files: the wasm and its chunks, the JS glue and the CSS, all under /pkg/.
  const assets = new Set<string>();
  let bytes = 0;
  cdp.on('Network.responseReceived', (e) => {
    if (new URL(e.response.url).pathname.startsWith('/pkg/')) assets.add(e.requestId);
  });
  cdp.on('Network.loadingFinished', (e) => {
    if (assets.has(e.requestId)) bytes += e.encodedDataLength;
  });
  await page.goto(path, { waitUntil: 'commit' });
  if (tap) {
    const lead = page.locator('button[aria-controls="new-lead"]');
    await lead.waitFor({ timeout: 60_000 });
    const deadline = Date.now() + 60_000;
    while ((await page.evaluate(() => (window as unknown as Record<string, number>).__tap)) === undefined) {
      expect(Date.now() < deadline, 'the app answers a tap within a minute').toBeTruthy();
      await lead.tap({ timeout: 5_000 }).catch(() => undefined);
      await page.waitForTimeout(50);
    }
  }
  if (plain) {
    // Plain HTML (the sign-in page): its form works once the document is parsed.
    await page.waitForLoadState('load');
    await page.waitForTimeout(500);
  } else {
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 60_000 });
  }
  const marks = await page.evaluate((plain) => {
    const w = window as unknown as Record<string, number>;
    const parsed = (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domInteractive;
    const element = (window as unknown as { __lcpElement?: string }).__lcpElement;
    return { lcp: w.__lcp, element, hydrated: plain ? parsed : w.__hydrated, tap: w.__tap };
  }, plain);
  console.log(`  ${path}: LCP ${marks.lcp.toFixed(0)} ms on ${marks.element}`);
  await page.close();
  return { ...marks, tap: tap ? marks.tap : undefined, bytes };
}

// A new phone: no cache, no service worker; signed in (as the rep) through the API when asked.
async function phone(browser: Browser, baseURL: string, signedIn: boolean): Promise<BrowserContext> {
  const { defaultBrowserType: _, ...pixel } = devices['Pixel 7'];
  const context = await browser.newContext({ ...pixel, baseURL });
  await context.addInitScript(observe);
  if (signedIn) {
    await signInRep(context.request, baseURL);
    await context.addCookies([{ name: 'i18n_pref_locale', value: 'en', url: baseURL }]);
  }
  return context;
}

// Installed: the service worker controls the origin and its cache holds the shell.
async function installed(context: BrowserContext, path: string) {
  const page = await context.newPage();
  await page.goto(path);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await page.waitForFunction(async () => (await caches.keys()).some((k) => k.startsWith('fieldwork-shell-')));
  await page.close();
}

function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
}

const rows: (string | number)[][] = [];
function report(name: string, values: number[]) {
  const [p50, p95, p99] = [0.5, 0.95, 0.99].map((s) => percentile(values, s));
  console.log(`${name.padEnd(56)} p50 ${p50.toFixed(0).padStart(6)} ms   p95 ${p95.toFixed(0).padStart(6)} ms`);
  rows.push(['phone', name, 'sqlite', values.length, p50, p95, p99, 0, 0]);
}

test.afterAll(() => appendRows(rows));

for (const [label, path, signedIn] of [['sign-in page', '/login', false], ['Today (rep)', '/', true]] as const) {
  test(`${label}: cold and warm on slow 4G with a 4× slower CPU`, async ({ browser, baseURL }) => {
    test.setTimeout(RUNS * 4 * 60_000);
    const cold: Load[] = [];
    const warm: Load[] = [];
    for (let run = 0; run < RUNS; run++) {
      const context = await phone(browser, baseURL!, signedIn);
      cold.push(await load(context, path, signedIn, !signedIn));
      // Signing in installs the app; the sign-in page's second visit has the browser's cache.
      if (signedIn) await installed(context, path);
      warm.push(await load(context, path, signedIn, !signedIn));
      await context.close();
    }
    for (const [when, loads] of [['cold', cold], ['warm', warm]] as const) {
      report(`slow 4G, ${label} ${when}: LCP`, loads.map((l) => l.lcp));
      // The sign-in page is plain HTML: usable once parsed; the app's pages once hydrated.
      report(`slow 4G, ${label} ${when}: ${signedIn ? 'hydrated' : 'usable (parsed)'}`, loads.map((l) => l.hydrated));
      if (signedIn) report(`slow 4G, ${label} ${when}: answers a tap`, loads.map((l) => l.tap!));
    }
    const kb = cold.map((l) => l.bytes / 1e3);
    console.log(`${`${label} cold: wasm + JS + CSS on the wire`.padEnd(56)} ${percentile(kb, 0.5).toFixed(1)} KB`);
  });
}
