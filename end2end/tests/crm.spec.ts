import { test, expect } from '@playwright/test';
import * as fs from 'fs';
import { signIn, inEnglish, shot } from './helpers';

// The CRM core journeys: a rep on a phone finds a contact by part of a phone number, logs a
// call and sets a follow-up; a manager moves deals through the pipeline (drag on a desktop,
// the stage picker on a phone). Screenshots land in end2end/screenshots/.

test('a rep finds a contact by part of a phone number, logs a call, sets a follow-up and schedules a visit @phone', async ({ page }) => {
  await signIn(page, 'rep1@fieldwork.demo');
  // A contact of this rep with a phone number, and five digits from the middle of it.
  const page1 = await (await page.request.get('/api/v1/contacts?limit=200')).json();
  const contact = page1.items.find((c: any) => c.phone);
  expect(contact, 'the demo gives rep1 contacts with phones').toBeTruthy();
  const fragment = contact.phone.slice(-8, -3);

  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Contacts' }).click();
  const search = page.getByRole('searchbox', { name: 'Search contacts' });
  await search.pressSequentially(fragment, { delay: 40 });
  const result = page.locator('.record-list .record').filter({ hasText: contact.name });
  await expect(result).toBeVisible();
  await expect(page.locator('.record-list .record').first()).toContainText(fragment.slice(0, 2));
  await shot(page, 'phone-contact-search');

  await result.getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(contact.name);
  await expect(page.getByRole('link', { name: 'Call' })).toHaveAttribute('href', `tel:${contact.phone}`);

  await page.getByRole('button', { name: 'Log call' }).click();
  await page.getByText('They called').click();
  await page.getByLabel('Result').selectOption('no_answer');
  await page.getByLabel('Minutes').fill('2');
  await page.getByLabel('Notes').fill('Asked about the Gulshan flat; call back after 5pm');
  await shot(page, 'phone-log-call');
  await page.getByRole('button', { name: 'Save call' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Call logged.' })).toBeVisible();
  const timeline = page.locator('.timeline');
  // Newest first (upcoming appointments sit above it): the call just logged leads the past.
  const call = timeline.locator('.timeline-entry.entry-call').first();
  await expect(call).toContainText('Asked about the Gulshan flat');
  await expect(call).toContainText('inbound no answer');

  await page.getByRole('button', { name: 'Follow-up' }).click();
  await page.getByLabel('What').fill(`Call ${contact.name} back about the Gulshan flat`);
  await page.getByRole('button', { name: 'Later today' }).click();
  await page.getByRole('button', { name: 'Set follow-up' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Follow-up set.' })).toBeVisible();
  await expect(timeline.locator('.timeline-entry.entry-task').first()).toContainText('Gulshan flat');

  // Schedule a site visit from the same page: tomorrow 10:00 by default, an hour long.
  await page.getByRole('button', { name: 'Schedule', exact: true }).click();
  await page.getByLabel('What').fill(`Site visit with ${contact.name}`);
  await page.getByLabel('Length').selectOption('60');
  await shot(page, 'phone-schedule');
  await page.getByRole('button', { name: 'Schedule it' }).click();
  // The demo rep may already have something then: the overlap is named and can be kept anyway.
  const scheduled = page.getByRole('status').filter({ hasText: 'Appointment scheduled' });
  const anyway = page.getByRole('button', { name: 'Schedule anyway' });
  await expect(scheduled.or(anyway)).toBeVisible();
  if (await anyway.isVisible()) {
    await expect(page.getByRole('alert').filter({ hasText: 'overlaps' })).toBeVisible();
    await anyway.click();
  }
  await expect(scheduled).toBeVisible();
  await expect(page.locator('.timeline-entry.entry-appointment').filter({ hasText: `Site visit with ${contact.name}` }).first()).toBeVisible();
  await shot(page, 'phone-contact-page');

  // The follow-up is on the rep's list for today.
  await page.goto('/tasks');
  await expect(page.locator('.task-list .task').filter({ hasText: `Call ${contact.name} back` })).toBeVisible();
  await shot(page, 'phone-follow-ups');
  // The tab bar covers the bottom of a phone screen: bring the row to the middle first.
  const task = page.locator('.task-list .task').filter({ hasText: `Call ${contact.name} back` });
  await task.evaluate((e) => e.scrollIntoView({ block: 'center' }));
  await task.getByRole('checkbox').check();
  await expect(page.locator('.task-list .task').filter({ hasText: `Call ${contact.name} back` })).toHaveCount(0);
});

test('a manager drags a deal to won on the pipeline board @desktop', async ({ page }) => {
  await signIn(page, 'manager@fieldwork.demo');
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Pipeline' }).click();
  await expect(page.getByRole('heading', { name: 'Pipeline' })).toBeVisible();
  const negotiation = page.locator('.board-column[data-stage="negotiation"]');
  const won = page.locator('.board-column[data-stage="won"]');
  const card = negotiation.locator('.deal-card').first();
  await expect(card).toBeVisible();
  const wonBefore = await won.locator('.deal-card').count();
  const negotiationBefore = await negotiation.locator('.deal-card').count();
  await shot(page, 'desktop-pipeline');

  // The card that moves is the one the server was told about.
  const [moved] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/api/v1/deals/')),
    card.dragTo(won),
  ]);
  expect(moved.status()).toBe(200);
  const deal = await moved.json();
  expect(deal.stage).toBe('won');
  await expect(won.locator(`.deal-card[data-deal="${deal.id}"]`)).toBeVisible();
  await expect(won.locator('.deal-card')).toHaveCount(wonBefore + 1);
  await expect(negotiation.locator('.deal-card')).toHaveCount(negotiationBefore - 1);
  // Saved on the server: a reload shows it in Won.
  await page.reload();
  await expect(page.locator(`.board-column[data-stage="won"] .deal-card[data-deal="${deal.id}"]`)).toBeVisible();
  await shot(page, 'desktop-pipeline-won');

  // Lost needs a reason: the prompt asks for one.
  const open = page.locator('.board-column[data-stage="inquiry"] .deal-card').first();
  const lostId = (await open.getAttribute('data-deal'))!;
  page.once('dialog', (d) => d.accept('Bought through another agency'));
  await open.getByLabel('Move to…').selectOption('lost');
  const lost = page.locator(`.board-column[data-stage="lost"] .deal-card[data-deal="${lostId}"]`);
  await expect(lost).toContainText('Bought through another agency');
});

test('a manager moves a deal with the stage picker on a phone @phone', async ({ page }) => {
  await signIn(page, 'manager@fieldwork.demo');
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'More' }).click();
  await page.getByRole('link', { name: 'Pipeline' }).click();
  const card = page.locator('.board-column[data-stage="inquiry"] .deal-card').first();
  const id = (await card.getAttribute('data-deal'))!;
  await card.getByLabel('Move to…').selectOption('proposal');
  await expect(page.locator(`.board-column[data-stage="proposal"] .deal-card[data-deal="${id}"]`)).toBeVisible();
  await shot(page, 'phone-pipeline');
});

test('office staff create a contact with a bad phone, fix it, and find it @desktop', async ({ page }) => {
  await signIn(page, 'office@fieldwork.demo');
  await inEnglish(page);
  await page.goto('/contacts');
  await page.getByRole('link', { name: 'New contact' }).click();
  await page.getByLabel('Name').fill('Zubair Karim');
  await page.getByLabel('Phones').fill('12');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('.field').filter({ hasText: 'Phones' }).locator('.field-error')).not.toBeEmpty();
  await page.getByLabel('Phones').fill('01755-123456');
  await page.getByLabel('Tags').fill('investor, Gulshan');
  await shot(page, 'desktop-contact-form');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Zubair Karim');
  await expect(page.getByRole('link', { name: 'Call' })).toHaveAttribute('href', 'tel:+8801755123456');
  await shot(page, 'desktop-contact-page');

  await page.goto('/contacts');
  await page.getByRole('searchbox', { name: 'Search contacts' }).fill('zubiar');
  await expect(page.locator('.desk-table tbody tr').filter({ hasText: 'Zubair Karim' })).toBeVisible();
  await shot(page, 'desktop-contacts-search');
});

test('office staff import 1,000 contacts from a CSV with a mapping step and a rejected-rows report @desktop', async ({ page }, testInfo) => {
  // A file like another CRM's export: 1,000 good rows, two bad ones, one repeated email.
  const lines = ['Given Name,Family Name,E-mail 1 - Value,Mobile,City,Segment,Favourite colour'];
  for (let i = 0; i < 1000; i++) {
    lines.push(`Importa${i},Rahman,importa${i}@example.org,0181${String(i).padStart(7, '0')},Dhaka,investor,blue`);
  }
  lines.push(',,nobody@example.org,,Dhaka,,red');
  lines.push('Wrong,Number,wrong@example.org,12345,Dhaka,,green');
  lines.push('Importa0,Again,importa0@example.org,,Dhaka,,blue');
  const file = testInfo.outputPath('contacts.csv');
  require('fs').writeFileSync(file, lines.join('\n') + '\n');

  await signIn(page, 'office@fieldwork.demo');
  await inEnglish(page);
  await page.goto('/contacts');
  await page.getByRole('link', { name: 'Import CSV' }).click();
  await expect(page.getByRole('heading', { name: 'Import contacts' })).toBeVisible();
  await page.getByLabel('CSV file').setInputFiles(file);

  // The mapping step: known headers map themselves; the unknown one is left out; "Segment"
  // is chosen as tags by hand.
  await expect(page.getByRole('combobox', { name: 'Given Name' })).toHaveValue('first_name');
  await expect(page.getByRole('combobox', { name: 'E-mail 1 - Value' })).toHaveValue('email');
  await expect(page.getByRole('combobox', { name: 'Mobile' })).toHaveValue('phone');
  await expect(page.getByRole('combobox', { name: 'Favourite colour' })).toHaveValue('ignore');
  await page.getByRole('combobox', { name: 'Segment' }).selectOption('tags');
  await expect(page.locator('.import-preview tbody tr').first()).toContainText('Importa0');
  await shot(page, 'desktop-import-mapping');

  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const status = page.locator('.import-status');
  await expect(status.getByRole('heading', { name: 'Import finished' })).toBeVisible({ timeout: 30_000 });
  await expect(status).toContainText('1000 imported');
  await expect(status).toContainText('1 duplicates left out');
  await expect(status).toContainText('2 rows rejected');
  await shot(page, 'desktop-import-done');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    status.getByRole('link', { name: 'Download the report of rows left out' }).click(),
  ]);
  const report = require('fs').readFileSync(await download.path(), 'utf8');
  expect(report).toContain('name is required');
  expect(report).toContain('phones.0');
  expect(report).toContain('as an earlier row');

  await page.goto('/contacts');
  await page.getByRole('searchbox', { name: 'Search contacts' }).fill('importa999');
  await expect(page.locator('.desk-table tbody tr').filter({ hasText: 'Importa999 Rahman' })).toBeVisible();
});

test('office staff merge a matching row into the existing contact on import, then export the list to Excel @desktop', async ({ page }, testInfo) => {
  await signIn(page, 'office@fieldwork.demo');
  await inEnglish(page);
  // An existing contact, and a file whose row has the same phone and a new email address.
  const stamp = String(Date.now()).slice(-7);
  const phone = `+88019${stamp}11`.slice(0, 14);
  const created = await page.request.post('/api/v1/contacts', {
    data: { name: `Merle Haque ${stamp}`, phones: [phone], tags: ['seller'] },
  });
  expect(created.status()).toBe(201);
  const existing = await created.json();
  const file = testInfo.outputPath('merge.csv');
  require('fs').writeFileSync(file, `Name,Phone,Email,Tags\nM. Haque,${phone},merle${stamp}@example.org,investor\n`);

  await page.goto('/contacts/import');
  await page.getByLabel('CSV file').setInputFiles(file);
  await expect(page.getByRole('combobox', { name: 'Email' })).toHaveValue('email');
  await page.getByRole('radio', { name: /Merge them into the existing contact/ }).check();
  await shot(page, 'desktop-import-merge-choice');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const status = page.locator('.import-status');
  await expect(status.getByRole('heading', { name: 'Import finished' })).toBeVisible({ timeout: 30_000 });
  await expect(status).toContainText('1 merged into existing contacts');
  await expect(status).toContainText('0 imported');

  const merged = await (await page.request.get(`/api/v1/contacts/${existing.id}`)).json();
  expect(merged.name).toBe(`Merle Haque ${stamp}`);
  expect(merged.emails).toEqual([`merle${stamp}@example.org`]);
  expect(merged.tags).toEqual(['seller', 'investor']);

  await page.goto('/contacts');
  await page.getByRole('searchbox', { name: 'Search contacts' }).fill(`merle${stamp}`);
  await expect(page.locator('.desk-table tbody tr').filter({ hasText: 'Merle Haque' })).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export Excel' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^contacts-.*\.xlsx$/);
  const bytes = require('fs').readFileSync(await download.path());
  expect(bytes.subarray(0, 2).toString()).toBe('PK');
});

test('office staff download everything about a contact, then erase it for a data-protection request @desktop', async ({ page }) => {
  // Every script the app runs must pass the page's Content-Security-Policy (nonce, no inline).
  const refused: string[] = [];
  page.on('console', (m) => { if (m.text().includes('Content Security Policy')) refused.push(m.text()); });
  await signIn(page, 'office@fieldwork.demo');
  await inEnglish(page);
  const list = await (await page.request.get('/api/v1/contacts?limit=50')).json();
  const contact = list.items.find((c: any) => c.phone);
  expect(contact, 'the demo has contacts with phones').toBeTruthy();

  await page.goto(`/contacts/${contact.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(contact.name);
  const card = page.getByRole('region', { name: 'Personal data' });
  await card.scrollIntoViewIfNeeded();
  await shot(page, 'desktop-contact-privacy');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    card.getByRole('link', { name: 'Download their data (JSON)' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`contact-${contact.id}.json`);
  const data = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  expect(JSON.stringify(data)).toContain(contact.name);
  expect(JSON.stringify(data)).toContain(contact.phone);

  // Cancelling the question changes nothing; accepting it erases and leaves the page.
  page.once('dialog', (d) => d.dismiss());
  await card.getByRole('button', { name: 'Erase personal data' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(contact.name);
  page.once('dialog', (d) => { expect(d.message()).toContain(contact.name); d.accept(); });
  await card.getByRole('button', { name: 'Erase personal data' }).click();
  await expect(page).toHaveURL(/\/contacts$/);
  const gone = await page.request.get(`/api/v1/contacts?q=${encodeURIComponent(contact.phone)}`);
  expect((await gone.json()).items.map((c: any) => c.id)).not.toContain(contact.id);
  expect(refused, 'no script was refused by the Content-Security-Policy').toEqual([]);
});

// The import page is drawn by the server; a file chosen before the app's code has arrived must
// not be lost (its `change` went to no one): the app reads the choice once it has started.
test('a CSV chosen before the app has started is read once it has @desktop', async ({ browser }, testInfo) => {
  // No service worker: the app's code comes from the network, where the test can hold it back.
  const context = await browser.newContext({ ...testInfo.project.use, serviceWorkers: 'block' });
  const page = await context.newPage();
  await signIn(page, 'office@fieldwork.demo');
  await inEnglish(page);
  const file = testInfo.outputPath('early.csv');
  fs.writeFileSync(file, 'Name,Phone,Email\nEarly Bird,+8801711000000,early@example.org\n');
  let release = () => {};
  const held = new Promise<void>((resolve) => { release = resolve; });
  await page.route('**/pkg/**', async (route) => {
    if (route.request().url().endsWith('.wasm')) await held;
    await route.fallback();
  });
  await page.goto('/contacts/import', { waitUntil: 'domcontentloaded' });
  await page.getByLabel('CSV file').setInputFiles(file);
  await expect(page.locator('body')).not.toHaveAttribute('data-hydrated', 'true');
  release();
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.getByRole('combobox', { name: 'Email' })).toHaveValue('email');
  await context.close();
});
