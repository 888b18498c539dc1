import { chromium, expect, test } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium';
import { appendRows, signInRep } from './bench';

// Lighthouse (npm, with Debian's Chromium) on the sign-in page and a rep's Today: its mobile
// profile (simulated slow 4G, 4× CPU), performance, accessibility and best-practice scores.
// Run by `cargo xtask bench --only phone` with the phone-speed measurements; the scores go in
// the bench table's "per second" column (higher is better, so a drop is flagged).

const CATEGORIES = ['performance', 'accessibility', 'best-practices'];

for (const [label, path, rep] of [['sign-in page', '/login', false], ['Today (rep)', '/', true]] as const) {
  test(`Lighthouse: ${label}`, async ({ request, baseURL }) => {
    test.setTimeout(300_000);
    // "name=value" of each cookie the browser holds: the language, and the rep's session.
    const cookies = ['i18n_pref_locale=en'];
    if (rep) {
      const r = await signInRep(request, baseURL!);
      cookies.push(...r.headersArray().filter((h) => h.name.toLowerCase() === 'set-cookie').map((h) => h.value.split(';')[0]));
    }
    const { launch } = await import('chrome-launcher');
    const lighthouse = (await import('lighthouse')).default;
    const chrome = await launch({ chromePath: CHROMIUM_PATH, chromeFlags: ['--headless=new', ...CHROMIUM_ARGS] });
    try {
      // The cookies go into the browser's own jar (Lighthouse keeps cookies when it clears the
      // origin's storage). Sent as Lighthouse's extra headers instead, they reached the page's
      // document but not its fetches: Today's API calls were refused (401) and Lighthouse
      // scored an error page and counted the refusals as console errors.
      const cdp = await chromium.connectOverCDP(`http://127.0.0.1:${chrome.port}`);
      await cdp.contexts()[0].addCookies(
        cookies.map((pair) => {
          const [name, ...value] = pair.split('=');
          return { name, value: value.join('='), url: baseURL! };
        }),
      );
      await cdp.close();
      const result = await lighthouse(`${baseURL}${path}`, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: CATEGORIES,
      });
      const lhr = result!.lhr;
      expect(lhr.runtimeError, JSON.stringify(lhr.runtimeError)).toBeUndefined();
      const rows: (string | number)[][] = [];
      for (const category of CATEGORIES) {
        const score = Math.round((lhr.categories[category].score ?? 0) * 100);
        console.log(`Lighthouse, ${label}: ${category.padEnd(16)} ${score}`);
        rows.push(['lighthouse', `Lighthouse ${label}: ${category} (score)`, 'sqlite', 1, 0, 0, 0, score, 0]);
      }
      const audits = lhr.audits;
      for (const id of ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'interactive']) {
        console.log(`Lighthouse, ${label}: ${audits[id].title.padEnd(28)} ${audits[id].displayValue}`);
      }
      // Which element the LCP is, and where its time goes (TTFB, load delay, render delay).
      type Table = { items?: Record<string, unknown>[] };
      const lcpTables = ((audits['largest-contentful-paint-element']?.details as Table | undefined)?.items ?? []) as Table[];
      const lcpNode = (lcpTables[0]?.items?.[0]?.node as { snippet?: string } | undefined)?.snippet;
      if (lcpNode) console.log(`Lighthouse, ${label}: LCP element ${lcpNode.slice(0, 160)}`);
      for (const phase of lcpTables[1]?.items ?? []) {
        console.log(`Lighthouse, ${label}:   ${String(phase.phase).padEnd(26)} ${Math.round(Number(phase.timing))} ms`);
      }
      for (const audit of Object.values(audits)) {
        const inCategory = (c: string) => lhr.categories[c].auditRefs.some((a) => a.id === audit.id && a.weight > 0);
        if (audit.score !== null && audit.score < 0.9 && CATEGORIES.slice(1).some(inCategory)) {
          console.log(`  to fix: ${audit.title}`);
          // What the audit found (the console's errors, the offending script…), a few lines.
          const items = ((audit.details as { items?: Record<string, unknown>[] } | undefined)?.items ?? []).slice(0, 5);
          for (const item of items) {
            const said = ['description', 'url', 'sourceLocation', 'node', 'label']
              .map((k) => item[k] as unknown)
              .map((v) => {
                if (typeof v !== 'object' || v === null) return v;
                const found = v as { url?: string; snippet?: string };
                return found.url ?? found.snippet;
              })
              .filter((v): v is string => typeof v === 'string' && v !== '');
            if (said.length > 0) console.log(`    ${said.join(' · ').slice(0, 300)}`);
          }
        }
      }
      appendRows(rows);
    } finally {
      chrome.kill();
    }
  });
}
