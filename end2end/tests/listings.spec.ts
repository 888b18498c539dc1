import { test, expect, Browser, Page } from '@playwright/test';
import { inEnglish, lateMorningZone, signIn, shot } from './helpers';

// Real-estate listings: office staff write down what a buyer wants, create a listing with three
// photos and publish it, and see the buyer among its matches with the reasons; an agent on a
// phone books a showing, checks in, records the buyer's reaction, and puts the listing under
// offer, with every step in its history.

const PASSWORD = 'listing journey password';

const GULSHAN = { lat: 23.7925, lon: 90.4078 };

/// An agent (rep) and a buyer they own, made by the admin.
async function arrange(browser: Browser, stamp: string, zone = 'Asia/Dhaka') {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'admin@fieldwork.demo');
  const agent = { email: `agent${stamp}@fieldwork.demo`, name: `Arif Agent ${stamp}` };
  const created = await page.request.post('/api/v1/users', {
    data: { ...agent, role: 'rep', language: 'en', time_zone: zone, password: PASSWORD },
  });
  expect(created.status()).toBe(201);
  const agentId = (await created.json()).id;
  const buyer = await page.request.post('/api/v1/contacts', {
    data: { name: `Bilkis Buyer ${stamp}`, phones: ['+8801711' + stamp.slice(-6)], owner_id: agentId },
  });
  expect(buyer.status()).toBe(201);
  const buyerJson = await buyer.json();
  return { context, admin: page, agent: { ...agent, id: agentId }, buyer: buyerJson };
}

/// Three different real PNGs: pieces of the current screen.
async function photos(page: Page) {
  const clips = [{ x: 0, y: 0 }, { x: 100, y: 100 }, { x: 200, y: 50 }];
  const out = [];
  for (const [i, c] of clips.entries()) {
    const buffer = await page.screenshot({ clip: { ...c, width: 320, height: 240 } });
    out.push({ name: `photo-${i + 1}.png`, mimeType: 'image/png', buffer });
  }
  return out;
}

test('office staff note what a buyer wants, create a listing with three photos, publish it, and see the buyer matched with reasons @desktop', async ({ browser, page }, info) => {
  const stamp = String(Date.now()).slice(-7);
  const { context, agent, buyer } = await arrange(browser, stamp);
  await context.close();
  await signIn(page, 'office@fieldwork.demo');
  await inEnglish(page);

  // What the buyer wants, on their contact page.
  await page.goto(`/contacts/${buyer.id}`);
  const search = page.locator('section.requirements');
  await expect(search.getByRole('heading', { name: 'Property search' })).toBeVisible();
  await search.getByRole('button', { name: 'Add what they want' }).click();
  await search.getByText('Apartment', { exact: true }).click();
  await search.getByLabel('Price up to').fill('12000000');
  await search.getByLabel('At least bedrooms').fill('3');
  await search.getByText('Lift', { exact: true }).click();
  await search.getByRole('button', { name: 'Save requirements' }).click();
  await expect(search.locator('.record:not(.match-row)')).toContainText('3+ bedrooms');

  // A new listing, published at once.
  await page.goto('/listings');
  await page.getByRole('link', { name: 'New listing' }).click();
  await expect(page.getByRole('heading', { name: 'New listing' })).toBeVisible();
  const title = `Lakeview 3-bed ${stamp}`;
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Price', { exact: true }).fill('12500000');
  await page.getByLabel('Area (m²)').fill('130');
  await page.getByLabel('Bedrooms').fill('3');
  await page.getByLabel('Bathrooms').fill('2');
  await page.getByText('Parking', { exact: true }).click();
  await page.getByText('Lift', { exact: true }).click();
  await page.getByLabel('Address').fill('Road 41, Gulshan 2, Dhaka');
  await page.getByLabel('Latitude').fill(String(GULSHAN.lat));
  await page.getByLabel('Longitude').fill(String(GULSHAN.lon));
  await page.getByLabel('Listing agent').selectOption({ label: agent.name });
  await shot(page, `${info.project.name}-listing-form`);
  await page.getByRole('button', { name: 'Publish' }).click();

  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  await expect(page.locator('.listing-header .badge')).toHaveText('Available');
  await expect(page.getByText('No photos yet')).toBeVisible();

  // Three photos at once; the first becomes the cover.
  await page.locator('input[type="file"][name="photos"]').setInputFiles(await photos(page));
  await expect(page.locator('.photo-list .photo-item')).toHaveCount(3);
  await expect(page.locator('.gallery-count')).toHaveText('1 / 3');
  await expect(page.locator('.photo-item').first().locator('.badge.cover')).toBeVisible();
  // Not a photo: refused by its content, whatever its name says.
  await page.locator('input[type="file"][name="photos"]').setInputFiles([
    { name: 'brochure.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('%PDF-1.7 not really a photo') },
  ]);
  await expect(page.getByRole('alert').filter({ hasText: 'brochure.jpg: is not a JPEG, PNG or WebP image' })).toBeVisible();
  await expect(page.locator('.photo-list .photo-item')).toHaveCount(3);

  // The buyer is matched, with why (12.5 M is 4 % over their 12 M).
  const matches = page.locator('section.matches');
  const match = matches.locator('.match-row').filter({ hasText: buyer.name });
  await expect(match).toBeVisible();
  await expect(match.locator('.reason')).toContainText(['Apartment as wanted', '3 bedrooms (3+ wanted)', 'Has Lift', '5% over budget']);
  await expect(page.locator('section.history')).toContainText('Available');
  await shot(page, `${info.project.name}-listing-page`);

  // A public link shows the listing and nothing private.
  await page.getByRole('button', { name: 'Create a share link' }).click();
  const url = await page.locator('input.share-url').inputValue();
  expect(url).toMatch(/\/share\/fws_/);
  const stranger = await browser.newContext();
  const publicPage = await stranger.newPage();
  await publicPage.goto(url.replace(/^https?:\/\/[^/]+/, ''));
  await expect(publicPage.getByRole('heading', { name: title })).toBeVisible();
  await expect(publicPage.locator('.gallery-count')).toHaveText('1 / 3');
  await expect(publicPage.getByText(agent.name)).toHaveCount(0);
  await stranger.close();

  // The listing shows in the list with its cover photo, and for the buyer too.
  await page.goto('/listings');
  await page.getByLabel('Search').fill(stamp);
  await page.getByRole('button', { name: 'Apply' }).click();
  const card = page.locator('.listing-card').filter({ hasText: title });
  await expect(card.locator('img')).toHaveAttribute('src', /size=thumb/);
  await shot(page, `${info.project.name}-listings`);
  await page.goto(`/contacts/${buyer.id}`);
  await expect(page.locator('section.requirements .match-row').filter({ hasText: title })).toContainText('5% over budget');
});

test('an agent on a phone books a showing, checks in, records the reaction and puts the listing under offer @phone', async ({ browser }, info) => {
  const stamp = String(Date.now()).slice(-7);
  const zone = lateMorningZone();
  const { context: adminContext, admin, agent, buyer } = await arrange(browser, stamp, zone);
  const title = `Park view flat ${stamp}`;
  const made = await admin.request.post('/api/v1/listings', {
    data: { title, kind: 'apartment', transaction: 'sale', status: 'available', price: { amount: 950000000, currency: 'BDT' },
      bedrooms: 3, area_m2: 120, address: 'Road 90, Gulshan 2, Dhaka', location: GULSHAN, agent_id: agent.id },
  });
  expect(made.status()).toBe(201);
  const listing = await made.json();
  await adminContext.close();

  const context = await browser.newContext({
    ...info.project.use,
    timezoneId: zone,
    geolocation: { latitude: GULSHAN.lat, longitude: GULSHAN.lon + 0.0003, accuracy: 10 },
    permissions: ['geolocation'],
  });
  const page = await context.newPage();
  await signIn(page, agent.email, PASSWORD);
  await page.goto('/listings');
  await page.locator('.listing-card').filter({ hasText: title }).click();
  await expect(page.getByRole('heading', { name: title })).toBeVisible();

  // Book the showing for half an hour from now.
  await page.getByRole('button', { name: 'Schedule a showing' }).click();
  const form = page.locator('form.showing-form');
  await form.getByLabel('Buyer or tenant').fill('Bilkis');
  await form.getByRole('option').filter({ hasText: buyer.name }).click();
  await expect(form.locator('.chip')).toHaveText(buyer.name);
  const soon = await page.evaluate(() => {
    const d = new Date(Date.now() + 30 * 60_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  });
  await form.getByLabel('Starts').fill(soon);
  await shot(page, `${info.project.name}-showing-form`);
  await form.getByRole('button', { name: 'Schedule it' }).click();
  const showings = page.locator('section.showings');
  await expect(showings.locator('.showing-row').filter({ hasText: buyer.name })).toContainText('Scheduled');

  // At the door: Today has the showing; check in and out with the buyer's reaction.
  await page.goto('/');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const showingTitle = `Showing: ${title} — ${buyer.name}`;
  await page.getByRole('button', { name: `Check in — ${showingTitle}` }).click();
  const visit = page.locator('.open-visit');
  await expect(visit).toContainText(/\d+ m from the address/);
  await visit.getByRole('button', { name: 'Check out' }).click();
  await visit.getByLabel('Outcome').selectOption('Interested');
  await visit.getByLabel("Buyer's reaction").selectOption({ label: 'Loved it' });
  await visit.getByLabel('Notes').fill('Wants to bring her husband on Saturday');
  await visit.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Checked out.' })).toBeVisible();

  // Back on the listing: the showing's feedback, then the offer.
  await page.goto(`/listings/${listing.id}`);
  const row = page.locator('section.showings .showing-row').filter({ hasText: buyer.name });
  await expect(row.locator('.badge')).toHaveText('Loved it');
  await expect(row).toContainText('Done');
  await expect(row).toContainText('Wants to bring her husband on Saturday');
  await page.getByRole('button', { name: 'Mark under offer' }).click();
  await expect(page.locator('.listing-header .badge')).toHaveText('Under offer');
  const history = page.locator('section.history li');
  await expect(history).toHaveCount(2);
  await expect(history.nth(0)).toContainText('Under offer');
  await expect(history.nth(0)).toContainText(agent.name);
  await expect(history.nth(1)).toContainText('Available');
  await history.nth(0).scrollIntoViewIfNeeded();
  await shot(page, `${info.project.name}-listing-under-offer`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, `${info.project.name}-listing-page`);
  await context.close();
});
