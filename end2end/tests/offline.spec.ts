import { test, expect, Browser, BrowserContext, Page } from '@playwright/test';
import { goOffline, goOnline, installedAndSynced, lateMorningZone, signIn, shot } from './helpers';

// Offline-first: a rep opens the app with no network, takes a new lead, logs a call, checks in
// and out of a visit, closes the page and opens it again — still offline — and everything is
// there; back online, the server holds exactly one copy of each. A push whose answer is lost
// is sent again and changes nothing twice. Two devices editing one contact offline merge field
// by field, and the edit that lost is offered back.

const PASSWORD = 'offline journey password';
const START = { latitude: 23.7806, longitude: 90.4 };

async function newRep(browser: Browser, stamp: string, zone: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'admin@fieldwork.demo');
  const rep = { email: `offline${stamp}@fieldwork.demo`, name: `Omar Offline ${stamp}` };
  const created = await page.request.post('/api/v1/users', {
    data: { ...rep, role: 'rep', language: 'en', time_zone: zone, password: PASSWORD },
  });
  expect(created.status()).toBe(201);
  await context.close();
  return rep;
}

async function phoneOf(browser: Browser, info: any, zone: string): Promise<[BrowserContext, Page]> {
  const context = await browser.newContext({
    ...info.project.use,
    timezoneId: zone,
    geolocation: { ...START, accuracy: 10 },
    permissions: ['geolocation'],
  });
  return [context, await context.newPage()];
}

const status = (page: Page) => page.locator('.sync-status:visible');

test('a rep works offline: lead, call, visit survive a closed page and reach the server once @phone', async ({ browser }, info) => {
  const stamp = String(Date.now()).slice(-7);
  const zone = lateMorningZone();
  const rep = await newRep(browser, stamp, zone);
  const [context, page] = await phoneOf(browser, info, zone);
  await signIn(page, rep.email, PASSWORD);
  const shop = await (await page.request.post('/api/v1/contacts', {
    data: { name: `Shapla Stores ${stamp}`, location: { lat: START.latitude, lon: 90.4005 }, address: 'Shapla Road, Dhaka' },
  })).json();
  const task = await page.request.post('/api/v1/tasks', {
    data: { title: 'Count the stock', contact_id: shop.id, due_at: new Date(Date.now() - 60_000).toISOString() },
  });
  expect(task.status()).toBe(201);
  const meeting = await page.request.post('/api/v1/appointments', {
    data: { kind: 'meeting', title: 'Meet the owner', contact_id: shop.id, starts_at: new Date(Date.now() + 2 * 3600_000).toISOString() },
  });
  expect(meeting.status()).toBe(201);
  // The calendar seen once online is there offline too.
  await page.goto('/calendar');
  await expect(page.getByText('Meet the owner').first()).toBeVisible();
  await page.goto('/');
  await expect(page.locator('li.stop').filter({ hasText: 'Count the stock' })).toBeVisible();
  await installedAndSynced(page);

  // The signal goes. The app still opens, with the day on it.
  await goOffline(context);
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.locator('li.stop').filter({ hasText: 'Count the stock' })).toBeVisible();
  await expect(status(page)).toContainText('Offline');
  await shot(page, 'phone-offline-today');

  // A new lead, one tap from Today.
  const lead = `Nasrin Walk-in ${stamp}`;
  await page.getByRole('button', { name: 'New lead' }).click();
  await page.getByLabel('Name').fill(lead);
  await page.getByLabel('Phone').fill(`+8801712${stamp.slice(-6)}`);
  await shot(page, 'phone-offline-new-lead');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(lead);

  // A call with her.
  await page.getByRole('button', { name: 'Log call' }).click();
  await page.getByText('I called').click();
  await page.getByLabel('Result').selectOption('connected');
  await page.getByLabel('Notes').fill('Wants a demo next week');
  await page.getByRole('button', { name: 'Save call' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Call logged.' })).toBeVisible();
  await expect(page.locator('.timeline-entry.entry-call').first()).toContainText('Wants a demo next week');
  await expect(status(page)).toContainText('Offline · 2 waiting');

  // Back to Today: check in at the shop and out again.
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Today' }).click();
  await page.getByRole('button', { name: 'Check in — Count the stock' }).click();
  const visit = page.locator('.open-visit');
  await expect(visit.getByRole('heading', { name: 'Checked in: Count the stock' })).toBeVisible();
  await visit.getByRole('button', { name: 'Check out' }).click();
  await visit.getByLabel('Outcome').selectOption('Interested');
  await visit.getByLabel('Notes').fill('Shelf space agreed');
  await visit.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Checked out.' })).toBeVisible();
  await expect(page.locator('.done-visits')).toContainText('Interested');
  await expect(status(page)).toContainText('Offline · 4 waiting');

  // The page is closed; a new one opens, still with no network: all of it is there.
  await page.close();
  const again = await context.newPage();
  await again.goto('/');
  await expect(again.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(again.locator('.done-visits')).toContainText('Interested');
  await expect(status(again)).toContainText('Offline · 4 waiting');
  await again.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Contacts' }).click();
  await again.getByRole('searchbox', { name: 'Search contacts' }).pressSequentially('Nasrin', { delay: 30 });
  await again.locator('.record-list .record').filter({ hasText: lead }).getByRole('link').first().click();
  await expect(again.getByRole('heading', { level: 1 })).toHaveText(lead);
  await expect(again.locator('.timeline-entry.entry-call').first()).toContainText('Wants a demo next week');
  await shot(again, 'phone-offline-reopened');
  await again.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Calendar' }).click();
  await expect(again.getByText('Meet the owner').first()).toBeVisible();

  // Signing out now would lose unsent work: removing it takes a second, explicit yes.
  await again.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'More' }).click();
  await expect(again.locator('.local-data')).toContainText(/Fieldwork keeps [\d.]+ (KB|MB) on this device/);
  await again.getByRole('button', { name: 'Sign out' }).click();
  const dialog = again.getByRole('dialog', { name: 'Sign out' });
  await expect(dialog).toContainText('4 changes on this device have not reached the server yet.');
  await dialog.getByRole('button', { name: 'Remove the data from this device' }).click();
  await expect(dialog).toContainText('Remove them anyway? They will be lost for good.');
  await shot(again, 'phone-offline-sign-out');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(status(again)).toContainText('Offline · 4 waiting');

  // The network returns: everything goes up, once.
  await goOnline(context);
  await expect(status(again)).toHaveAttribute('data-waiting', '0', { timeout: 20_000 });
  await expect(status(again)).toContainText('Synced');
  const found = await (await again.request.get(`/api/v1/contacts?q=${encodeURIComponent(lead)}`)).json();
  expect(found.items.map((c: any) => c.name)).toEqual([lead]);
  const calls = await (await again.request.get(`/api/v1/contacts/${found.items[0].id}/activities`)).json();
  expect(calls.items.map((a: any) => a.body)).toEqual(['Wants a demo next week']);
  const today = await (await again.request.get('/api/v1/today')).json();
  const visits = today.visits.filter((v: any) => v.contact_id === shop.id);
  expect(visits.length).toBe(1);
  expect(visits[0].outcome).toBe('Interested');
  expect(visits[0].notes).toBe('Shelf space agreed');
  await context.close();
});

test('a push whose answer is lost is sent again and the server keeps one copy @desktop', async ({ browser }, info) => {
  const stamp = String(Date.now()).slice(-7);
  const zone = lateMorningZone();
  const rep = await newRep(browser, stamp, zone);
  const [context, page] = await phoneOf(browser, info, zone);
  await signIn(page, rep.email, PASSWORD);
  await installedAndSynced(page);
  // The server applies the first push, then the connection drops before the answer arrives.
  let dropped = 0;
  await page.route('**/api/v1/sync/push', async (route) => {
    if (dropped > 0) return route.fallback();
    dropped += 1;
    await route.fetch();
    await route.abort('connectionreset');
  });
  const lead = `Lost Answer ${stamp}`;
  await page.getByRole('button', { name: 'New lead' }).click();
  await page.getByLabel('Name').fill(lead);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(lead);
  await expect(status(page)).toHaveAttribute('data-waiting', '0', { timeout: 20_000 });
  expect(dropped).toBe(1);
  const found = await (await page.request.get(`/api/v1/contacts?q=${encodeURIComponent(lead)}`)).json();
  expect(found.items.map((c: any) => c.name)).toEqual([lead]);
  await context.close();
});

test('two devices edit one contact offline: the fields merge and the edit that lost is offered back @desktop', async ({ browser }, info) => {
  const stamp = String(Date.now()).slice(-7);
  const zone = lateMorningZone();
  const rep = await newRep(browser, stamp, zone);
  const [phone, onPhone] = await phoneOf(browser, info, zone);
  const [laptop, onLaptop] = await phoneOf(browser, info, zone);
  await signIn(onPhone, rep.email, PASSWORD);
  await signIn(onLaptop, rep.email, PASSWORD);
  const contact = await (await onPhone.request.post('/api/v1/contacts', {
    data: { name: `Rahim Uddin ${stamp}`, phones: ['+8801711000001'], notes: 'Gate code 12' },
  })).json();
  for (const page of [onPhone, onLaptop]) {
    await page.goto(`/contacts/${contact.id}`);
    await installedAndSynced(page);
  }

  // Both go offline and edit: the laptop the phone number, the phone the number and the notes.
  const edit = async (page: Page, changes: Record<string, string>) => {
    await page.getByRole('link', { name: 'Edit' }).click();
    for (const [label, value] of Object.entries(changes)) await page.getByLabel(label).fill(value);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(contact.name);
  };
  await goOffline(phone);
  await goOffline(laptop);
  await edit(onLaptop, { Phones: '+8801711000002' });
  await edit(onPhone, { Phones: '+8801711000099', Notes: 'Prefers mornings' });

  // The laptop reaches the server first.
  await goOnline(laptop);
  await expect(status(onLaptop)).toHaveAttribute('data-waiting', '0', { timeout: 20_000 });
  await goOnline(phone);
  await expect(status(onPhone)).toHaveAttribute('data-waiting', '0', { timeout: 20_000 });

  // On the phone: the notes went through; the number stayed the laptop's, and the phone's
  // number is offered back.
  await onPhone.reload();
  await expect(onPhone.locator('.contact-facts')).toContainText('Prefers mornings');
  await expect(onPhone.locator('.contact-facts')).toContainText('+8801711000002');
  const conflicts = onPhone.locator('.conflicts');
  await expect(conflicts).toContainText(`Your offline edit of Phones was replaced by ${rep.name}'s edit at`);
  await expect(conflicts).toContainText('+8801711000099');
  await shot(onPhone, 'desktop-sync-conflict');
  await conflicts.getByRole('button', { name: 'Keep mine' }).click();
  await expect(onPhone.locator('.conflicts')).toHaveCount(0);
  await expect(onPhone.locator('.contact-facts')).toContainText('+8801711000099');
  const stored = await (await onPhone.request.get(`/api/v1/contacts/${contact.id}`)).json();
  expect(stored.phones).toEqual(['+8801711000099']);
  expect(stored.notes).toBe('Prefers mornings');
  await phone.close();
  await laptop.close();
});

// What the device holds: its cursor and the ids of its contacts, read from IndexedDB.
async function localState(page: Page, userId: string): Promise<{ cursor: string; contacts: string[] }> {
  return page.evaluate(async (user) => {
    const db: IDBDatabase = await new Promise((resolve, reject) => {
      const r = indexedDB.open('fieldwork');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const read = (store: string, run: (s: IDBObjectStore) => IDBRequest) => new Promise<any>((resolve, reject) => {
      const r = run(db.transaction(store).objectStore(store));
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const cursor = (await read('meta', (s) => s.get(`cursor:${user}`))) ?? '';
    const contacts = (await read('contact', (s) => s.getAllKeys())) as string[];
    db.close();
    return { cursor, contacts: contacts.sort() };
  }, userId);
}

test('a page closed half-way through a first sync never moves its place past what it applied @desktop', async ({ browser }, info) => {
  const stamp = String(Date.now()).slice(-7);
  const zone = lateMorningZone();
  const rep = await newRep(browser, stamp, zone);
  const [context, page] = await phoneOf(browser, info, zone);
  await signIn(page, rep.email, PASSWORD);
  const me = await (await page.request.get('/api/v1/me')).json();
  const made: string[] = [];
  for (let i = 0; i < 12; i += 1) {
    const r = await page.request.post('/api/v1/contacts', { data: { name: `Paged ${stamp} ${i}` } });
    expect(r.status()).toBe(201);
    made.push((await r.json()).id);
  }
  await installedAndSynced(page);

  // A second device of the same rep syncs from nothing in pages of three, and is closed as
  // soon as the second page has arrived — while the app is applying it.
  const second = await context.browser()!.newContext({ ...info.project.use, timezoneId: zone });
  const tab = await second.newPage();
  const pages: any[] = [];
  await second.route('**/api/v1/sync/pull**', async (route) => {
    const url = new URL(route.request().url());
    url.searchParams.set('limit', '3');
    const response = await route.fetch({ url: url.toString() });
    const body = await response.json();
    pages.push(body);
    await route.fulfill({ response, json: body }).catch(() => {});
    if (pages.length === 2) await tab.close().catch(() => {});
  });
  await signIn(tab, rep.email, PASSWORD).catch(() => {});
  await expect.poll(() => tab.isClosed(), { timeout: 20_000 }).toBe(true);

  // Opened again with the feed held back: what it keeps is exactly the pages up to its cursor.
  await second.unrouteAll({ behavior: 'ignoreErrors' });
  await second.route('**/api/v1/sync/pull**', (route) => route.abort('internetdisconnected'));
  const again = await second.newPage();
  await again.goto('/');
  await expect(again.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(status(again)).toBeVisible();
  const kept = await localState(again, me.id);
  const applied = kept.cursor === '' ? -1 : pages.findIndex((p) => p.cursor === kept.cursor);
  expect(kept.cursor === '' || applied >= 0, 'the cursor is one a page ended at').toBe(true);
  const contactsOf = (upto: number) => pages.slice(0, upto + 1)
    .flatMap((p) => p.changes.filter((c: any) => c.entity === 'contact' && c.op === 'put').map((c: any) => c.id));
  expect(kept.contacts).toEqual(contactsOf(applied).sort());

  // Let the feed through: the device catches up with everything, once.
  await second.unrouteAll({ behavior: 'ignoreErrors' });
  await again.reload();
  await expect(status(again)).toContainText('Synced', { timeout: 20_000 });
  await expect.poll(async () => (await localState(again, me.id)).contacts).toEqual([...made].sort());
  await second.close();
  await context.close();
});

test('a change made while a sync is in flight goes up with the next push @desktop', async ({ browser }, info) => {
  const stamp = String(Date.now()).slice(-7);
  const zone = lateMorningZone();
  const rep = await newRep(browser, stamp, zone);
  const [context, page] = await phoneOf(browser, info, zone);
  await signIn(page, rep.email, PASSWORD);
  await installedAndSynced(page);

  // The next pull hangs on a slow network.
  let release = () => {};
  const slow = new Promise<void>((resolve) => { release = resolve; });
  let held = 0;
  await page.route('**/api/v1/sync/pull**', async (route) => {
    held += 1;
    await slow;
    await route.continue().catch(() => {});
  });
  await page.reload();
  await expect.poll(() => held).toBeGreaterThan(0);

  const lead = `Mid Sync ${stamp}`;
  await page.getByRole('button', { name: 'New lead' }).click();
  await page.getByLabel('Name').fill(lead);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(lead, { timeout: 15_000 });
  const search = async () => (await (await page.request.get(`/api/v1/contacts?q=${encodeURIComponent(lead)}`)).json())
    .items.map((c: any) => c.name);
  expect(await search(), 'the sync in flight had pushed before the lead was saved').toEqual([]);
  await expect(status(page)).toHaveAttribute('data-waiting', '1');

  // The pull answers; the lead goes up next, once.
  release();
  await expect(status(page)).toHaveAttribute('data-waiting', '0', { timeout: 20_000 });
  expect(await search()).toEqual([lead]);
  await context.close();
});

test('an appointment scheduled offline is on the calendar at once and reaches the server once @phone', async ({ browser }, info) => {
  const stamp = String(Date.now()).slice(-7);
  const zone = lateMorningZone();
  const rep = await newRep(browser, stamp, zone);
  const [context, page] = await phoneOf(browser, info, zone);
  await signIn(page, rep.email, PASSWORD);
  await page.goto('/calendar');
  await installedAndSynced(page);

  await goOffline(context);
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const title = `Stock count offline ${stamp}`;
  await page.getByRole('button', { name: 'New appointment' }).click();
  await page.getByLabel('What').fill(title);
  await page.getByRole('button', { name: 'Schedule it' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Appointment scheduled' })).toBeVisible();
  await expect(page.getByText(title).first()).toBeVisible();
  await expect(status(page)).toContainText('Offline · 1 waiting');
  await shot(page, 'phone-offline-calendar');

  // Still there in a new page with no network.
  const again = await context.newPage();
  await page.close();
  await again.goto('/calendar');
  await expect(again.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(again.getByText(title).first()).toBeVisible();

  await goOnline(context);
  await expect(status(again)).toHaveAttribute('data-waiting', '0', { timeout: 20_000 });
  const from = new Date(Date.now() - 86400_000).toISOString();
  const to = new Date(Date.now() + 8 * 86400_000).toISOString();
  const listed = await (await again.request.get(`/api/v1/appointments?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).json();
  expect(listed.items.filter((a: any) => a.title === title).length).toBe(1);
  await again.reload();
  await expect(again.getByText(title).first()).toBeVisible();
  await context.close();
});

test('with the app closed, Background Sync sends what was saved offline @phone', async ({ browser }, info) => {
  const stamp = String(Date.now()).slice(-7);
  const zone = lateMorningZone();
  const rep = await newRep(browser, stamp, zone);
  const [context, page] = await phoneOf(browser, info, zone);
  await signIn(page, rep.email, PASSWORD);
  await installedAndSynced(page);
  const origin = new URL(page.url()).origin;

  await goOffline(context);
  const lead = `Closed App ${stamp}`;
  await page.getByRole('button', { name: 'New lead' }).click();
  await page.getByLabel('Name').fill(lead);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(lead);
  await expect(status(page)).toContainText('Offline · 1 waiting');

  // The rep closes the app (a blank tab keeps the browser open), and the signal comes back.
  const blank = await context.newPage();
  await page.close();
  await goOnline(context);
  // The browser fires the sync the app registered; DevTools fires it here.
  const cdp = await context.newCDPSession(blank);
  const registrations: any[] = [];
  cdp.on('ServiceWorker.workerRegistrationUpdated', (e: any) => registrations.push(...e.registrations));
  await cdp.send('ServiceWorker.enable');
  await expect.poll(() => registrations.filter((r) => r.scopeURL.startsWith(origin) && !r.isDeleted).length).toBeGreaterThan(0);
  const registration = registrations.find((r) => r.scopeURL.startsWith(origin) && !r.isDeleted);
  await cdp.send('ServiceWorker.dispatchSyncEvent', {
    origin, registrationId: registration.registrationId, tag: 'fieldwork-outbox', lastChance: false,
  });
  const search = async () => (await (await context.request.get(`/api/v1/contacts?q=${encodeURIComponent(lead)}`)).json())
    .items.map((c: any) => c.name);
  await expect.poll(search, { timeout: 15_000 }).toEqual([lead]);

  // Opened again, the app has nothing left to send and shows the lead once.
  const again = await context.newPage();
  await again.goto('/contacts');
  await expect(status(again)).toHaveAttribute('data-waiting', '0', { timeout: 20_000 });
  await expect(again.getByText(lead)).toHaveCount(1);
  await context.close();
});

test('a new version deployed while a tab is open: the old one keeps its own files and is asked to update @desktop', async ({ browser }, info) => {
  const stamp = String(Date.now()).slice(-7);
  const zone = lateMorningZone();
  const rep = await newRep(browser, stamp, zone);
  const [context, page] = await phoneOf(browser, info, zone);
  await signIn(page, rep.email, PASSWORD);
  await installedAndSynced(page);

  // The server now runs a newer build: its pages say so, and its sync no longer speaks this
  // app's contract.
  const fetchedByWorker: string[] = [];
  context.on('request', (request) => {
    if (request.serviceWorker() && new URL(request.url()).pathname.startsWith('/pkg/')) fetchedByWorker.push(request.url());
  });
  await context.route('**/*', async (route) => {
    const request = route.request();
    const path = new URL(request.url()).pathname;
    if (path.startsWith('/api/v1/sync/')) {
      return route.fulfill({
        status: 426,
        json: { error: { code: 'update_required', message: 'this version of the app is too old for the server; reload to update' } },
      });
    }
    if (request.resourceType() === 'document') {
      const response = await route.fetch();
      return route.fulfill({ response, headers: { ...response.headers(), 'x-fieldwork-build': 'a-newer-build' } });
    }
    return route.fallback();
  });
  const pkg: { url: string; fromWorker: boolean }[] = [];
  page.on('response', (response) => {
    if (new URL(response.url()).pathname.startsWith('/pkg/')) pkg.push({ url: response.url(), fromWorker: response.fromServiceWorker() });
  });

  // A navigation gets the cached shell of the running build, with its own files, never the new page.
  await page.goto('/contacts');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(pkg.length).toBeGreaterThan(0);
  expect(pkg.filter((r) => !r.fromWorker), 'every file of the app came from the running build').toEqual([]);
  expect(fetchedByWorker).toEqual([]);
  // Sync is refused with 426, not a 500: the frame offers the update and nothing is lost.
  await expect(page.getByText('A new version of Fieldwork is ready.')).toBeVisible({ timeout: 15_000 });
  await shot(page, 'desktop-update-ready');
  await context.close();
});

// Every page an admin uses opens by its address in a fresh tab with no signal: the frame, the
// page's own heading, and what this device holds (or a plain word that it needs the network),
// never a blank screen or a browser error page.
test('an admin opens the settings, reports, pipeline and calendar by their addresses with no signal @desktop', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await signIn(page, 'admin@fieldwork.demo');
  await installedAndSynced(page);
  await goOffline(context);
  const pages: [string, string][] = [
    ['/admin/fields', 'Fields'],
    ['/admin/forms', 'Lead forms'],
    ['/reports', 'Reports'],
    ['/pipeline', 'Pipeline'],
    ['/calendar', 'Calendar'],
  ];
  for (const [address, heading] of pages) {
    const cold = await context.newPage();
    await cold.goto(address);
    await expect(cold.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await expect(cold.getByRole('heading', { level: 1 })).toContainText(heading);
    await expect(status(cold)).toContainText('Offline');
    // A filter's title shows only over its control (Reports' contact field).
    await expect(cold.locator('.custom-segment:not(:has(select))')).toHaveCount(0);
    await shot(cold, `desktop-offline-cold${address.replaceAll('/', '-')}`);
    await cold.close();
  }
  await context.close();
});
