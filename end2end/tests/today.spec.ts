import { test, expect, Browser, BrowserContext, Page, TestInfo } from '@playwright/test';
import { lateMorningZone, signIn, shot } from './helpers';

// A rep's day: Today orders the stops into a driving route from where the phone is (mocked
// geolocation), the rep checks in at the first stop (distance shown), checks out with an
// outcome and a follow-up, and the follow-up joins Today's route.

const PASSWORD = 'today journey password';

const START = { latitude: 23.7806, longitude: 90.4 };

async function arrange(browser: Browser, stamp: string, zone: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'admin@fieldwork.demo');
  const rep = { email: `todayrep${stamp}@fieldwork.demo`, name: `Rima Route ${stamp}` };
  const created = await page.request.post('/api/v1/users', {
    data: { ...rep, role: 'rep', language: 'en', time_zone: zone, password: PASSWORD },
  });
  expect(created.status()).toBe(201);
  await context.close();
  return rep;
}

// A contact at a place east along one road from START, named with the run's stamp.
async function place(page: Page, stamp: string, name: string, lon: number) {
  const r = await page.request.post('/api/v1/contacts', {
    data: { name: `${name} ${stamp}`, location: { lat: START.latitude, lon }, address: `${name} Road, Dhaka` },
  });
  expect(r.status()).toBe(201);
  return r.json();
}

// A new rep signed in on a phone that shares its position at START (on a fresh context).
async function signedInRep(browser: Browser, info: TestInfo, stamp: string) {
  const zone = lateMorningZone();
  const rep = await arrange(browser, stamp, zone);
  const context = await browser.newContext({
    ...info.project.use, timezoneId: zone, geolocation: { ...START, accuracy: 10 }, permissions: ['geolocation'],
  });
  const page = await context.newPage();
  await signIn(page, rep.email, PASSWORD);
  return { context, page, zone };
}

// A follow-up due now at a contact placed east of START.
async function followUp(page: Page, stamp: string, title: string, name: string, lon: number) {
  const contact = await place(page, stamp, name, lon);
  const r = await page.request.post('/api/v1/tasks', {
    data: { title, contact_id: contact.id, due_at: new Date(Date.now() - 60_000).toISOString() },
  });
  expect(r.status()).toBe(201);
  return contact;
}

test('a rep follows the route, checks in with the distance shown, checks out with a follow-up that joins Today', async ({ browser }, info) => {
  const stamp = String(Date.now()).slice(-7);
  const zone = lateMorningZone();
  const rep = await arrange(browser, stamp, zone);
  const context = await browser.newContext({
    ...info.project.use,
    timezoneId: zone,
    geolocation: { ...START, accuracy: 10 },
    permissions: ['geolocation'],
  });
  const page = await context.newPage();
  await signIn(page, rep.email, PASSWORD);

  // Three places east along one road: A 300 m away, B 2 km, C 4 km.
  const a = await place(page, stamp, 'Ayesha Stores', 90.4029);
  const b = await place(page, stamp, 'Bashundhara Traders', 90.42);
  const c = await place(page, stamp, 'Chowdhury Pharma', 90.44);
  const now = Date.now();
  for (const [contact, title] of [[a, 'Drop the samples'], [c, 'Collect the payment']] as const) {
    const r = await page.request.post('/api/v1/tasks', {
      data: { title, contact_id: contact.id, due_at: new Date(now - 60_000).toISOString() },
    });
    expect(r.status()).toBe(201);
  }
  const meeting = await page.request.post('/api/v1/appointments', {
    data: { kind: 'meeting', title: 'Quarterly order', contact_id: b.id, starts_at: new Date(now + 75 * 60_000).toISOString() },
  });
  expect(meeting.status()).toBe(201);

  await page.goto('/');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const stops = page.locator('ol.route:not(.elsewhere) > li.stop .stop-title');
  // The route is planned from the phone's position once it has it.
  await expect(page.locator('.route-summary')).toContainText('Starting from where you are.');
  // The follow-up on the way first, then the fixed meeting, then the far follow-up.
  await expect(stops).toHaveText(['Drop the samples', 'Quarterly order', 'Collect the payment']);
  await expect(page.getByText(/3 stops · 4\.\d km driving/)).toBeVisible();
  await expect(page.getByRole('link', { name: 'Open in maps' }).first()).toHaveAttribute('href', /destination=23\.780600,90\.402900/);
  await shot(page, `${info.project.name}-today-route`);

  // At A's door: check in.
  await context.setGeolocation({ latitude: START.latitude, longitude: 90.40295, accuracy: 8 });
  await page.getByRole('button', { name: 'Check in — Drop the samples' }).click();
  const visit = page.locator('.open-visit');
  await expect(visit.getByRole('heading', { name: 'Checked in: Drop the samples' })).toBeVisible();
  await expect(visit).toContainText(/\d+ m from the address/);
  await expect(visit).not.toContainText('Far from the address');

  await visit.getByRole('button', { name: 'Check out' }).click();
  await visit.getByLabel('Outcome').selectOption('Interested');
  await visit.getByLabel('Notes').fill('Wants the new price list');
  await visit.getByText('Follow-up', { exact: true }).click();
  await expect(visit.getByLabel('What')).toHaveValue(`Follow up with Ayesha Stores ${stamp}`);
  await visit.getByRole('button', { name: 'Later today' }).click();
  await shot(page, `${info.project.name}-today-checkout`);
  await visit.getByRole('button', { name: 'Save' }).click();

  await expect(page.getByRole('status').filter({ hasText: 'Checked out.' })).toBeVisible();
  await expect(page.locator('.open-visit')).toHaveCount(0);
  await expect(stops.filter({ hasText: `Follow up with Ayesha Stores ${stamp}` })).toHaveCount(1);
  await expect(page.locator('.done-visits')).toContainText('Interested');
  await context.close();
});

test('a rep who has not shared the location is not asked on load, and orders the route from where they are with a tap', async ({ browser }, info) => {
  const stamp = String(Date.now()).slice(-7);
  const zone = lateMorningZone();
  const rep = await arrange(browser, stamp, zone);
  // No permission yet: the browser would prompt.
  const context = await browser.newContext({ ...info.project.use, timezoneId: zone, geolocation: { ...START, accuracy: 10 } });
  const page = await context.newPage();
  await signIn(page, rep.email, PASSWORD);
  const now = Date.now();
  // Two follow-ups east along one road: the far one is due first.
  for (const [name, lon, minutes] of [['Chowdhury Pharma', 90.44, 30], ['Ayesha Stores', 90.4029, 1]] as const) {
    const contact = await place(page, stamp, name, lon);
    const task = await page.request.post('/api/v1/tasks', {
      data: { title: `See ${name}`, contact_id: contact.id, due_at: new Date(now - minutes * 60_000).toISOString() },
    });
    expect(task.status()).toBe(201);
  }

  await page.goto('/');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const summary = page.locator('.route-summary');
  await expect(summary).toContainText('Share your location to start it from where you are.');
  await expect(page.locator('.stop .leg').first()).not.toContainText('from you');
  await shot(page, `${info.project.name}-today-ask-location`);

  await context.grantPermissions(['geolocation']);
  await summary.getByRole('button', { name: 'Start from where I am' }).click();
  await expect(summary.getByRole('button', { name: 'Start from where I am' })).toHaveCount(0);
  const stops = page.locator('ol.route:not(.elsewhere) > li.stop .stop-title');
  await expect(stops).toHaveText(['See Ayesha Stores', 'See Chowdhury Pharma']);
  await expect(page.locator('.stop .leg').first()).toContainText('from you');
  await context.close();
});

test('Today arrives drawn by the server: the day shows before the app has started, and the same page then works', async ({ browser }, info) => {
  const stamp = String(Date.now()).slice(-7);
  const { context, page, zone } = await signedInRep(browser, info, stamp);
  await followUp(page, stamp, 'Drop the samples', 'Ayesha Stores', 90.4029);
  const meeting = await page.request.post('/api/v1/appointments', {
    data: {
      kind: 'meeting', title: 'Quarterly order', contact_id: (await place(page, stamp, 'Bashundhara Traders', 90.42)).id,
      starts_at: new Date(Date.now() + 45 * 60_000).toISOString(),
    },
  });
  expect(meeting.status()).toBe(201);

  // No script at all: what a phone shows while the app's code is still on its way.
  const bare = await browser.newContext({
    ...info.project.use, timezoneId: zone, javaScriptEnabled: false, storageState: await context.storageState(),
  });
  const drawn = await bare.newPage();
  await drawn.goto('/');
  const titles = (p: typeof page) => p.locator('ol.route:not(.elsewhere) > li.stop .stop-title');
  await expect(titles(drawn)).toHaveCount(2);
  await expect(titles(drawn).filter({ hasText: 'Drop the samples' })).toBeVisible();
  await expect(titles(drawn).filter({ hasText: 'Quarterly order' })).toBeVisible();
  await expect(drawn.locator('.route-summary')).toContainText('2 stops');
  await shot(drawn, `${info.project.name}-today-drawn-by-the-server`);
  await bare.close();

  // With the app: the page it starts on is the same day, and it answers.
  await page.goto('/');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(titles(page)).toHaveCount(2);
  await page.getByRole('button', { name: 'Check in — Drop the samples' }).click();
  await expect(page.locator('.open-visit').getByRole('heading', { name: 'Checked in: Drop the samples' })).toBeVisible();
  await context.close();
});

// The server draws Today as the browser's last word on geolocation says (a cookie); the
// browser hydrates it. When that cookie changes between the request and the app's start (the
// page before wrote it late), the browser's first render must still be the server's: a route
// hydrated as "finding you" over the server's "share your position" tied the stops to other
// stops' elements, and the route stayed in the server's order with the wrong buttons.
test('a page whose position cookie changed after it was requested still reorders the route and checks in where it says', async ({ browser }, info) => {
  const stamp = String(Date.now()).slice(-7);
  const { context, page } = await signedInRep(browser, info, stamp);
  await followUp(page, stamp, 'Drop the samples', 'Ayesha Stores', 90.4029);
  await followUp(page, stamp, 'Collect the payment', 'Chowdhury Pharma', 90.44);
  const b = await place(page, stamp, 'Bashundhara Traders', 90.42);
  const meeting = await page.request.post('/api/v1/appointments', {
    data: { kind: 'meeting', title: 'Quarterly order', contact_id: b.id, starts_at: new Date(Date.now() + 75 * 60_000).toISOString() },
  });
  expect(meeting.status()).toBe(201);
  // The request goes without the cookie; the page finds it set when it starts.
  await page.goto('about:blank');
  await context.clearCookies({ name: 'fieldwork_position' });
  expect((await context.cookies()).map((c) => c.name)).not.toContain('fieldwork_position');
  await context.addInitScript(() => { document.cookie = 'fieldwork_position=granted; path=/'; });

  await page.goto('/');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.locator('.route-summary')).toContainText('Starting from where you are.');
  await expect(page.getByRole('button', { name: 'Start from where I am' })).toHaveCount(0);
  // Without the position (the server's page) the meeting came first; from the rep, the samples.
  const stops = page.locator('ol.route:not(.elsewhere) > li.stop');
  await expect(stops.locator('.stop-title')).toHaveText(['Drop the samples', 'Quarterly order', 'Collect the payment']);
  await expect(stops.first().locator('.leg')).toContainText('from you');
  await page.getByRole('button', { name: 'Check in — Drop the samples' }).click();
  await expect(page.locator('.open-visit').getByRole('heading', { name: 'Checked in: Drop the samples' })).toBeVisible();
  await context.close();
});

// The browser's position, held back until the test lets it through: `getCurrentPosition` calls
// wait in a queue (counted in `__heldFixes`) until `__releaseFixes()`; later calls pass at once.
async function holdBackPosition(context: BrowserContext) {
  await context.addInitScript(() => {
    const w = window as unknown as { __heldFixes: number, __deliveredFixes: number, __releaseFixes: () => void };
    const geolocation = navigator.geolocation;
    const original = geolocation.getCurrentPosition.bind(geolocation);
    let held: (() => void)[] | null = [];
    w.__heldFixes = 0;
    w.__deliveredFixes = 0;
    w.__releaseFixes = () => { const waiting = held ?? []; held = null; waiting.forEach((go) => go()); };
    geolocation.getCurrentPosition = (ok, fail, options) => {
      const delivered: PositionCallback = (position) => { w.__deliveredFixes += 1; ok(position); };
      if (held === null) return original(delivered, fail, options);
      w.__heldFixes += 1;
      held.push(() => original(delivered, fail, options));
    };
  });
}

// A tap is a press and a release on the same element. Today redraws its route when the
// position arrives (planned from where the rep is, with the distance from them) and when the
// first sync lands; a stop drawn anew, or moved down by a line added above it, between the press
// and the release lost the tap, and Check in did nothing at all. Here both land between the
// press and the release, every time.
test('a tap on Check in that spans the arrival of the position and of the first sync still checks in', async ({ browser }, info) => {
  const stamp = String(Date.now()).slice(-7);
  const { context, page } = await signedInRep(browser, info, stamp);
  await followUp(page, stamp, 'Drop the samples', 'Ayesha Stores', 90.4029);
  await followUp(page, stamp, 'Collect the payment', 'Bashundhara Traders', 90.42);

  // A fresh device: its first sync's answer waits too.
  await page.evaluate(() => new Promise((done) => { const r = indexedDB.deleteDatabase('fieldwork'); r.onsuccess = r.onerror = r.onblocked = done; }));
  let releaseSync = () => {};
  const syncHeld = new Promise<void>((resolve) => { releaseSync = resolve; });
  await page.route('**/api/v1/sync/pull*', async (route) => { await syncHeld; await route.fallback(); });
  await holdBackPosition(context);

  await page.goto('/');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  // The page is looking for the rep: the position is on its way.
  await page.waitForFunction(() => (window as unknown as { __heldFixes: number }).__heldFixes > 0);
  const button = page.getByRole('button', { name: 'Check in — Drop the samples' });
  await expect(button).toBeEnabled();
  const box = (await button.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  const synced = page.waitForResponse((r) => r.url().includes('/api/v1/sync/pull'));
  await page.evaluate(() => (window as unknown as { __releaseFixes: () => void }).__releaseFixes());
  releaseSync();
  // The page has the rep's position and the first sync's answer, and has had the frames to draw them.
  await page.waitForFunction(() => (window as unknown as { __deliveredFixes: number }).__deliveredFixes > 0);
  await synced;
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  await page.mouse.up();

  const visit = page.locator('.open-visit');
  await expect(visit.getByRole('heading', { name: 'Checked in: Drop the samples' })).toBeVisible({ timeout: 15_000 });
  await expect(visit).toContainText(/\d+ m from the address/);
  // And once the finger is up, the route is drawn from where the rep is.
  await expect(page.locator('.stop .leg').first()).toContainText('from you');
  await context.close();
});

// A phone that never answers for its position (the browser still asking, no fix indoors) must
// not hold the rep at the door: the check-in says what it waits for, then goes ahead without one.
test('a check-in that gets no position says it is looking, then checks in without one', async ({ browser }, info) => {
  const stamp = String(Date.now()).slice(-7);
  const { context, page } = await signedInRep(browser, info, stamp);
  await followUp(page, stamp, 'Drop the samples', 'Ayesha Stores', 90.4029);
  await holdBackPosition(context); // and never let it through

  await page.goto('/');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const button = page.getByRole('button', { name: 'Check in — Drop the samples' });
  await button.click();
  await expect(button).toHaveText('Finding your position…');
  await expect(button).toBeDisabled();
  const visit = page.locator('.open-visit');
  await expect(visit.getByRole('heading', { name: 'Checked in: Drop the samples' })).toBeVisible({ timeout: 20_000 });
  await expect(visit).toContainText('Checked in without a location');
  await context.close();
});
