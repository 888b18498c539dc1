import { test, expect, devices, Browser, Page } from '@playwright/test';
import { goOffline, goOnline, inEnglish, installedAndSynced, lateMorningZone, otherSite, shot, signIn } from './helpers';

// Custom fields, as a business meets them: an admin adds "Budget (BDT)" and "Preferred area" to
// contacts and a required "Shelf photo taken?" question to visits; a rep on a phone fills both
// on a contact and is refused check-out until the question is answered, with the network off;
// office staff filter the contact list by Preferred area and export both columns; a rep who
// works in Bengali sees the Bengali labels.
//
// The fields are made with keys of this run (a deleted field's key stays taken) and deleted at
// the end, so the other journeys, which share the demo database, never meet them.

const PASSWORD = 'fields journey password';
const START = { latitude: 23.7806, longitude: 90.4 };

async function desktop(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await signIn(page, email);
  await inEnglish(page);
  return page;
}

async function addField(page: Page, f: { en: string; bn: string; key: string; type: string; choices?: string; required?: boolean; outcome?: string; askedOf?: string }) {
  const editor = page.locator('form.field-editor');
  await editor.getByLabel('Label (English)').fill(f.en);
  await editor.getByLabel('Label (Bengali)').fill(f.bn);
  await editor.locator('select[name="kind"]').selectOption(f.type);
  await editor.locator('input[name="key"]').fill(f.key);
  if (f.choices) await editor.locator('textarea[name="choices"]').fill(f.choices);
  if (f.askedOf) await editor.getByLabel('Asked of').selectOption(f.askedOf);
  if (f.outcome) await editor.locator('select[name="ask_outcome"]').selectOption(f.outcome);
  if (f.required) await editor.getByLabel(/^Required: a record/).check();
  await editor.getByRole('button', { name: 'Add field' }).click();
  await expect(page.locator(`li.field-row[data-key="${f.key}"]`)).toContainText(f.en);
}

test('an admin adds fields, a rep fills them and answers the check-out question offline, office staff filter and export them @desktop', async ({ browser }) => {
  const stamp = String(Date.now()).slice(-7);
  const keys = { budget: `budget_${stamp}`, area: `area_${stamp}`, shelf: `shelf_${stamp}` };
  const admin = await desktop(browser, 'admin@fieldwork.demo');
  try {
    // The admin: Settings → Fields.
    await admin.goto('/admin/fields');
    await expect(admin.getByRole('heading', { name: 'Fields', level: 1 })).toBeVisible();
    await addField(admin, { en: 'Budget (BDT)', bn: 'বাজেট (টাকা)', key: keys.budget, type: 'money' });
    await addField(admin, {
      en: 'Preferred area', bn: 'পছন্দের এলাকা', key: keys.area, type: 'choices',
      choices: 'Gulshan | গুলশান\nBanani | বনানী\nUttara | উত্তরা',
    });
    await admin.getByRole('tab', { name: 'Visits' }).click();
    await addField(admin, {
      en: 'Shelf photo taken?', bn: 'তাকের ছবি তোলা হয়েছে?', key: keys.shelf, type: 'yes_no', required: true, outcome: 'Order taken',
    });
    await shot(admin, 'desktop-fields-settings');

    // A rep of this run, on a phone at the shop's door.
    const zone = lateMorningZone();
    const rep = { email: `fieldsrep${stamp}@fieldwork.demo`, name: `Farhana Fields ${stamp}` };
    const made = await admin.request.post('/api/v1/users', {
      data: { ...rep, role: 'rep', language: 'en', time_zone: zone, password: PASSWORD },
    });
    expect(made.status()).toBe(201);
    const context = await browser.newContext({
      ...devices['Pixel 7'], viewport: { width: 390, height: 844 }, timezoneId: zone,
      geolocation: { ...START, accuracy: 10 }, permissions: ['geolocation'],
    });
    const phone = await context.newPage();
    await signIn(phone, rep.email, PASSWORD);
    const shop = await (await phone.request.post('/api/v1/contacts', {
      data: { name: `Rupali Stores ${stamp}`, location: { lat: START.latitude, lon: 90.4004 }, address: 'Rupali Road, Dhaka' },
    })).json();
    const task = await phone.request.post('/api/v1/tasks', {
      data: { title: 'Check the shelf', contact_id: shop.id, due_at: new Date(Date.now() - 60_000).toISOString() },
    });
    expect(task.status()).toBe(201);

    // The rep fills both fields on the contact.
    await phone.goto(`/contacts/${shop.id}/edit`);
    await expect(phone.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await phone.getByLabel('Budget (BDT)').fill('2500000');
    await phone.getByLabel('Gulshan').check();
    await phone.getByLabel('Banani').check();
    await shot(phone, 'phone-contact-custom-fields');
    await phone.getByRole('button', { name: 'Save' }).click();
    await expect(phone.getByRole('heading', { level: 1 })).toHaveText(`Rupali Stores ${stamp}`);
    const facts = phone.locator('.contact-facts');
    await expect(facts.locator(`[data-field="${keys.budget}"]`)).toContainText('BDT 2500000');
    await expect(facts.locator(`[data-field="${keys.area}"]`)).toContainText('Gulshan, Banani');

    // No signal at the shop: check in, and check out with an order taken.
    await phone.goto('/');
    await expect(phone.locator('li.stop').filter({ hasText: 'Check the shelf' })).toBeVisible();
    await installedAndSynced(phone);
    await goOffline(context);
    await phone.reload();
    await expect(phone.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await phone.getByRole('button', { name: 'Check in — Check the shelf' }).click();
    const visit = phone.locator('.open-visit');
    await expect(visit.getByRole('heading', { name: 'Checked in: Check the shelf' })).toBeVisible();
    await visit.getByRole('button', { name: 'Check out' }).click();
    await visit.getByLabel('Outcome').selectOption('Order taken');
    const question = visit.getByLabel('Shelf photo taken?');
    await expect(question).toBeVisible();
    await visit.getByRole('button', { name: 'Save' }).click();
    await expect(visit.getByRole('alert')).toContainText('Answer the questions marked in red');
    await expect(visit.locator(`[data-field="${keys.shelf}"] .field-error`)).toHaveText('Required.');
    await expect(visit).toBeVisible();
    await shot(phone, 'phone-checkout-question-refused');
    await question.selectOption('true');
    await visit.getByRole('button', { name: 'Save' }).click();
    await expect(phone.getByRole('status').filter({ hasText: 'Checked out.' })).toBeVisible();
    await expect(phone.locator('.done-visits')).toContainText('Order taken');

    // Opened by its address with no signal, the contact's form still asks the business's fields
    // (this device's copy of them) with the values it holds.
    await phone.goto(`/contacts/${shop.id}/edit`);
    await expect(phone.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await expect(phone.getByLabel('Budget (BDT)')).toBeVisible();
    await expect(phone.getByLabel('Gulshan')).toBeChecked();
    await expect(phone.getByLabel('Uttara')).not.toBeChecked();

    // The signal returns; the check-out reaches the server with its answer.
    await goOnline(context);
    await expect(phone.locator('.sync-status:visible')).toHaveAttribute('data-waiting', '0', { timeout: 20_000 });
    const today = await (await phone.request.get('/api/v1/today')).json();
    const done = today.visits.filter((v: any) => v.contact_id === shop.id);
    expect(done.map((v: any) => [v.outcome, v.custom[keys.shelf]])).toEqual([['Order taken', true]]);
    await context.close();

    // Office staff filter the list by Preferred area, and export it with both columns.
    const office = await desktop(browser, 'office@fieldwork.demo');
    await office.goto('/contacts');
    await expect(office.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await office.locator('#custom-field').selectOption(keys.area);
    await office.locator('#custom-value').selectOption('gulshan');
    const rows = office.locator('.desk-table tbody tr');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText(`Rupali Stores ${stamp}`);
    await shot(office, 'desktop-contacts-custom-filter');
    const href = await office.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    expect(href).toContain('custom=');
    const csv = await (await office.request.get(href!)).text();
    const [header, ...lines] = csv.trim().split('\n');
    expect(header).toContain('Budget (BDT)');
    expect(header).toContain('Preferred area');
    expect(lines.length).toBe(1);
    expect(lines[0]).toContain('2500000.00');
    expect(lines[0]).toContain('Gulshan; Banani');

    // …and by a budget range, typed in taka.
    await office.locator('#custom-field').selectOption(keys.budget);
    await office.locator('#custom-from').fill('2000000');
    await office.locator('#custom-from').press('Tab');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText(`Rupali Stores ${stamp}`);
    await office.locator('#custom-to').fill('2400000');
    await office.locator('#custom-to').press('Tab');
    await expect(office.getByText('No contacts match')).toBeVisible();
    await shot(office, 'desktop-contacts-custom-range');

    // The answer counts in the Visit answers report.
    await office.goto('/reports');
    await expect(office.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await office.getByRole('tab', { name: 'Visit answers' }).click();
    const report = office.locator('[data-report="visit_answers"]');
    const yes = report.locator('tbody tr').filter({ hasText: 'Shelf photo taken?' }).filter({ hasText: rep.name });
    await expect(yes).toHaveCount(1);
    await expect(yes).toContainText('Yes');
    await expect(yes.locator('td').nth(4)).toHaveText('100.0%');
    await shot(office, 'desktop-report-visit-answers');
    await office.context().close();

    // A rep who works in Bengali sees the Bengali labels, on the contact and at check-out.
    const bengali = { email: `fieldsbn${stamp}@fieldwork.demo`, name: `Bithi Bangla ${stamp}` };
    expect((await admin.request.post('/api/v1/users', {
      data: { ...bengali, role: 'rep', language: 'bn', time_zone: zone, password: PASSWORD },
    })).status()).toBe(201);
    const bnContext = await browser.newContext({ ...devices['Pixel 7'], viewport: { width: 390, height: 844 } });
    const bn = await bnContext.newPage();
    await signIn(bn, bengali.email, PASSWORD);
    await bn.goto('/contacts/new');
    await expect(bn.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await expect(bn.getByLabel('বাজেট (টাকা)')).toBeVisible();
    await expect(bn.getByText('পছন্দের এলাকা')).toBeVisible();
    await expect(bn.getByLabel('গুলশান')).toBeVisible();
    await shot(bn, 'phone-contact-custom-fields-bn');
    await bnContext.close();
  } finally {
    // The fields leave with the journey (asked first in the page; here through the API).
    const fields = await (await admin.request.get('/api/v1/fields')).json();
    for (const f of fields.filter((f: any) => Object.values(keys).includes(f.key))) {
      expect((await admin.request.delete(`/api/v1/fields/${f.id}`)).status()).toBe(204);
    }
    await admin.context().close();
  }
});

test('listings take fields of their own: an admin adds Facing, an agent sets it on a phone, office staff filter by it @desktop', async ({ browser }) => {
  const stamp = String(Date.now()).slice(-7);
  const facing = `facing_${stamp}`;
  const admin = await desktop(browser, 'admin@fieldwork.demo');
  let listing = '';
  try {
    await admin.goto('/admin/fields');
    // The page's own code arrives after the app's (a route is split off): its editor, drawn in
    // the browser only, shows once its tabs answer clicks.
    await expect(admin.locator('form.field-editor')).toBeVisible();
    await admin.getByRole('tab', { name: 'Listings' }).click();
    await expect(admin.getByRole('tab', { name: 'Listings' })).toHaveAttribute('aria-selected', 'true');
    await addField(admin, { en: 'Facing', bn: 'মুখ', key: facing, type: 'choice', choices: 'North | উত্তর\nSouth | দক্ষিণ' });

    // An agent of this run lists a flat on a phone, saying which way it faces.
    const agent = { email: `facingrep${stamp}@fieldwork.demo`, name: `Faisal Facing ${stamp}` };
    expect((await admin.request.post('/api/v1/users', {
      data: { ...agent, role: 'rep', language: 'en', time_zone: 'Asia/Dhaka', password: PASSWORD },
    })).status()).toBe(201);
    const context = await browser.newContext({ ...devices['Pixel 7'], viewport: { width: 390, height: 844 } });
    const phone = await context.newPage();
    await signIn(phone, agent.email, PASSWORD);
    await phone.goto('/listings/new');
    await expect(phone.locator('body')).toHaveAttribute('data-hydrated', 'true');
    const title = `South-facing flat ${stamp}`;
    await phone.getByLabel('Title').fill(title);
    await phone.getByLabel('Price', { exact: true }).fill('9500000');
    const facingPicker = phone.locator(`select[name="custom.${facing}"]`);
    await facingPicker.selectOption('south');
    await facingPicker.scrollIntoViewIfNeeded();
    await shot(phone, 'phone-listing-custom-field');
    await phone.getByRole('button', { name: 'Publish' }).click();
    await expect(phone.getByRole('heading', { name: title })).toBeVisible();
    await expect(phone.locator(`.listing-facts [data-field="${facing}"]`)).toContainText('South');
    listing = phone.url().split('/listings/')[1];
    await context.close();

    // Office staff pick South-facing listings.
    const office = await desktop(browser, 'office@fieldwork.demo');
    await office.goto('/listings');
    await expect(office.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await office.locator('#custom-field').selectOption(facing);
    await office.locator('#custom-value').selectOption('south');
    const cards = office.locator('.listing-grid > li');
    await expect(cards).toHaveCount(1);
    await expect(cards.first()).toContainText(title);
    await office.locator('#custom-value').selectOption('north');
    await expect(office.getByText('No listings match')).toBeVisible();
    await shot(office, 'desktop-listings-custom-filter');
    await office.context().close();
  } finally {
    if (listing) expect((await admin.request.delete(`/api/v1/listings/${listing}`)).status()).toBe(204);
    const fields = await (await admin.request.get('/api/v1/fields')).json();
    for (const f of fields.filter((f: any) => f.key === facing)) {
      expect((await admin.request.delete(`/api/v1/fields/${f.id}`)).status()).toBe(204);
    }
    await admin.context().close();
  }
});

test('every form that schedules asks the appointment fields an admin adds @desktop', async ({ browser }) => {
  const stamp = String(Date.now()).slice(-7);
  const purpose = `purpose_${stamp}`;
  const admin = await desktop(browser, 'admin@fieldwork.demo');
  let made = '';
  try {
    await admin.goto('/admin/fields');
    // The page's own code arrives after the app's (a route is split off): its editor, drawn in
    // the browser only, shows once its tabs answer clicks.
    await expect(admin.locator('form.field-editor')).toBeVisible();
    await admin.getByRole('tab', { name: 'Appointments' }).click();
    await expect(admin.getByRole('tab', { name: 'Appointments' })).toHaveAttribute('aria-selected', 'true');
    // Not required: the other journeys schedule at the same time on the same database.
    await addField(admin, { en: 'Purpose', bn: 'উদ্দেশ্য', key: purpose, type: 'choice', choices: 'Site visit | সাইট ভিজিট\nSigning | স্বাক্ষর' });
    const made_field = (await (await admin.request.get('/api/v1/fields')).json()).find((f: any) => f.key === purpose);
    expect(made_field.record_type, 'added on the Appointments tab').toBe('appointment');

    const office = await desktop(browser, 'office@fieldwork.demo');
    await office.goto('/calendar');
    await expect(office.locator('body')).toHaveAttribute('data-hydrated', 'true');
    // The calendar's own code has arrived (its date range is drawn in the browser only).
    await expect(office.locator('.calendar .page-header p.muted')).not.toBeEmpty();
    await office.getByRole('button', { name: 'New appointment' }).click();
    await expect(office.locator(`select[name="custom.${purpose}"]`), 'the form asks the new field').toBeVisible({ timeout: 10_000 });
    const title = `Deed signing ${stamp}`;
    await office.getByLabel('What').fill(title);
    // A time of its own (three days on, 07:mm), so no other appointment of the office's overlaps.
    const day = new Date(Date.now() + 3 * 86_400_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    const starts = `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}T07:${pad(Number(stamp) % 60)}`;
    await office.locator('input[name="starts"]').fill(starts);
    await office.locator(`select[name="custom.${purpose}"]`).selectOption('signing');
    await shot(office, 'desktop-appointment-custom-field');
    await office.getByRole('button', { name: 'Schedule it' }).click();
    await expect(office.getByRole('status').filter({ hasText: 'Appointment scheduled' })).toBeVisible();
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const agenda = await (await office.request.get(`/api/v1/appointments?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).json();
    const listed = agenda.items.find((a: any) => a.title === title);
    made = listed.id;
    expect(listed.custom, 'the agenda carries the values').toEqual({ [purpose]: 'signing' });
    const saved = await (await office.request.get(`/api/v1/appointments/${made}`)).json();
    expect(saved.custom).toEqual({ [purpose]: 'signing' });
    // The agenda's card shows the answer under its title, in the viewer's words for the choice.
    const card = office.locator('li.agenda-card').filter({ hasText: title });
    await expect(card.locator(`[data-field="${purpose}"]`)).toContainText('Purpose');
    await expect(card.locator(`[data-field="${purpose}"]`)).toContainText('Signing');
    await shot(office, 'desktop-agenda-card-custom-field');
    await office.context().close();
  } finally {
    if (made) expect((await admin.request.delete(`/api/v1/appointments/${made}`)).status()).toBe(204);
    const fields = await (await admin.request.get('/api/v1/fields')).json();
    for (const f of fields.filter((f: any) => f.key === purpose)) {
      expect((await admin.request.delete(`/api/v1/fields/${f.id}`)).status()).toBe(204);
    }
    await admin.context().close();
  }
});

test('an admin deletes a field only after saying yes, and the page says what it leaves behind @desktop', async ({ browser }) => {
  const stamp = String(Date.now()).slice(-7);
  const admin = await desktop(browser, 'admin@fieldwork.demo');
  await admin.goto('/admin/fields');
  await addField(admin, { en: `Source campaign ${stamp}`, bn: 'উৎস প্রচারণা', key: `campaign_${stamp}`, type: 'text' });
  await addField(admin, { en: `Referrer ${stamp}`, bn: 'সুপারিশকারী', key: `referrer_${stamp}`, type: 'text' });
  // The newer field moves above the older one, on the page and in the API's order.
  const order = async () => (await admin.locator('li.field-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key'))))
    .filter((k) => k === `campaign_${stamp}` || k === `referrer_${stamp}`);
  expect(await order()).toEqual([`campaign_${stamp}`, `referrer_${stamp}`]);
  await admin.getByRole('button', { name: `Move Referrer ${stamp} up` }).click();
  await expect.poll(order).toEqual([`referrer_${stamp}`, `campaign_${stamp}`]);
  const listed = (await (await admin.request.get('/api/v1/fields?record_type=contact')).json()).map((f: any) => f.key);
  expect(listed.indexOf(`referrer_${stamp}`)).toBeLessThan(listed.indexOf(`campaign_${stamp}`));
  const row = admin.locator(`li.field-row[data-key="campaign_${stamp}"]`);
  let asked = '';
  admin.once('dialog', (d) => { asked = d.message(); d.dismiss(); });
  await row.getByRole('button', { name: 'Delete' }).click();
  await expect(row).toBeVisible();
  expect(asked).toContain(`Delete the field “Source campaign ${stamp}”?`);
  admin.once('dialog', (d) => d.accept());
  await row.getByRole('button', { name: 'Delete' }).click();
  await expect(row).toHaveCount(0);
  // A key that is taken, live or deleted, is refused under the key's input.
  await addFieldExpectingError(admin, `campaign_${stamp}`);
  const referrer = (await (await admin.request.get('/api/v1/fields')).json()).find((f: any) => f.key === `referrer_${stamp}`);
  expect((await admin.request.delete(`/api/v1/fields/${referrer.id}`)).status()).toBe(204);
  await admin.context().close();
});

async function addFieldExpectingError(page: Page, key: string) {
  const editor = page.locator('form.field-editor');
  await editor.getByLabel('Label (English)').fill('Again');
  await editor.locator('input[name="key"]').fill(key);
  await editor.getByRole('button', { name: 'Add field' }).click();
  await expect(editor.locator('.field-error').filter({ hasText: 'already in use' })).toBeVisible();
}

test('a lead form asks the business\'s own fields, a company is not asked a person\'s, and a report counts leads by each answer @desktop', async ({ browser }) => {
  const stamp = String(Date.now()).slice(-7);
  const keys = { area: `area_${stamp}`, nid: `nid_${stamp}` };
  const admin = await desktop(browser, 'admin@fieldwork.demo');
  let form = '';
  try {
    await admin.goto('/admin/fields');
    await expect(admin.locator('form.field-editor')).toBeVisible();
    await addField(admin, {
      en: `Preferred area ${stamp}`, bn: 'পছন্দের এলাকা', key: keys.area, type: 'choices',
      choices: 'Gulshan | গুলশান\nBanani | বনানী\nUttara | উত্তরা',
    });
    await addField(admin, { en: 'NID number', bn: 'এনআইডি নম্বর', key: keys.nid, type: 'text', askedOf: 'person' });
    await expect(admin.locator(`li.field-row[data-key="${keys.nid}"]`)).toContainText('People only');

    // A new contact asks a person's NID; ticking "company" takes the question away.
    await admin.goto('/contacts/new');
    await expect(admin.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await expect(admin.getByLabel('NID number')).toBeVisible();
    await admin.locator('input[name="company"]').check();
    await expect(admin.getByLabel('NID number')).toHaveCount(0);
    await expect(admin.getByText(`Preferred area ${stamp}`)).toBeVisible();

    // The admin's lead form asks Preferred area too.
    await admin.goto('/admin/forms');
    await expect(admin.locator('body')).toHaveAttribute('data-hydrated', 'true');
    const asked = admin.getByLabel(`Ask Preferred area ${stamp}`);
    await expect(asked).toBeVisible();
    await admin.getByLabel('Form name').fill(`Area form ${stamp}`);
    await asked.check();
    await admin.getByRole('button', { name: 'Create form' }).click();
    const row = admin.locator('.form-record').filter({ hasText: `Area form ${stamp}` });
    await expect(row).toContainText(`Preferred area ${stamp}`);
    form = (await row.getAttribute('data-form-id')) ?? '';
    const snippet = await row.locator('textarea.snippet').inputValue();
    expect(snippet).toContain(`name="custom.${keys.area}"`);
    await shot(admin, 'desktop-lead-form-custom-fields');

    // A visitor on the agency's website ticks the areas they want.
    const site = await otherSite(snippet);
    const lead = `Rafiq Area ${stamp}`;
    try {
      const visitor = await browser.newPage({ viewport: { width: 390, height: 844 } });
      await visitor.goto(site.url);
      await visitor.getByLabel('Your name').fill(lead);
      await visitor.getByLabel('Email').fill(`rafiq${stamp}@example.com`);
      await visitor.getByLabel('Banani').check();
      await visitor.getByLabel('Uttara').check();
      await visitor.getByRole('button', { name: 'Send' }).click();
      await expect(visitor.getByRole('heading', { name: 'Thank you' })).toBeVisible();
      await visitor.close();
    } finally {
      await site.close();
    }

    // The lead holds the answer, and Leads and deals by field counts it.
    const found = await (await admin.request.get(`/api/v1/contacts?q=${encodeURIComponent(lead)}`)).json();
    expect(found.items).toHaveLength(1);
    await admin.goto(`/contacts/${found.items[0].id}`);
    await expect(admin.locator(`[data-field="${keys.area}"]`)).toContainText('Banani, Uttara');
    await admin.goto('/reports');
    await expect(admin.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await admin.getByRole('tab', { name: 'Leads and deals by field' }).click();
    const report = admin.locator('[data-report="by_field"]');
    const banani = report.locator('tbody tr').filter({ hasText: `Preferred area ${stamp}` }).filter({ hasText: 'Banani' });
    await expect(banani).toHaveCount(1);
    await expect(banani.locator('td').nth(2)).toHaveText('1');
    await expect(banani.locator('td').nth(3)).toHaveText('100.0%');
    await shot(admin, 'desktop-report-by-field');
  } finally {
    if (form) expect((await admin.request.delete(`/api/v1/forms/${form}`)).status()).toBe(204);
    const fields = await (await admin.request.get('/api/v1/fields')).json();
    for (const f of fields.filter((f: any) => Object.values(keys).includes(f.key))) {
      expect((await admin.request.delete(`/api/v1/fields/${f.id}`)).status()).toBe(204);
    }
    await admin.context().close();
  }
});

test('a deal\'s own fields are changed on its pipeline card', async ({ page }, info) => {
  const stamp = String(Date.now()).slice(-7);
  const key = `source_${stamp}`;
  await signIn(page, 'admin@fieldwork.demo');
  await inEnglish(page);
  const field = await (await page.request.post('/api/v1/fields', {
    data: {
      record_type: 'deal', key, label: { en: `Source ${stamp}`, bn: 'উৎস' }, kind: 'choice',
      choices: [{ key: 'eid_fair', label: { en: 'Eid fair' } }, { key: 'facebook', label: { en: 'Facebook' } }],
    },
  })).json();
  const buyer = await (await page.request.post('/api/v1/contacts', { data: { name: `Deal Buyer ${stamp}` } })).json();
  const made = await page.request.post('/api/v1/deals', {
    data: { contact_id: buyer.id, title: `Flat for ${stamp}`, value: { amount: 500_000_000, currency: 'BDT' } },
  });
  expect(made.status()).toBe(201);
  const deal = await made.json();
  try {
    await page.goto('/pipeline');
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    const card = page.locator(`.deal-card[data-deal="${deal.id}"]`);
    await card.getByRole('button', { name: `Edit Flat for ${stamp}` }).click();
    const editor = card.locator('form.deal-editor');
    await editor.locator('input[name="title"]').fill(`Flat in Banani for ${stamp}`);
    await editor.locator(`select[name="custom.${key}"]`).selectOption('facebook');
    await shot(page, `${info.project.name}-deal-editor`);
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect(editor).toHaveCount(0);
    await expect(card).toContainText(`Flat in Banani for ${stamp}`);
    await expect(card.locator(`[data-field="${key}"]`)).toContainText('Facebook');
    const saved = await (await page.request.get(`/api/v1/deals/${deal.id}`)).json();
    expect(saved.custom).toEqual({ [key]: 'facebook' });
  } finally {
    expect((await page.request.delete(`/api/v1/deals/${deal.id}`)).status()).toBe(204);
    expect((await page.request.delete(`/api/v1/fields/${field.id}`)).status()).toBe(204);
  }
});

test('a deal opened from a showing asks the deal\'s required field first @desktop', async ({ browser }) => {
  const stamp = String(Date.now()).slice(-7);
  const key = `campaign_${stamp}`;
  const admin = await desktop(browser, 'admin@fieldwork.demo');
  const field = await (await admin.request.post('/api/v1/fields', {
    data: {
      record_type: 'deal', key, label: { en: `Campaign ${stamp}`, bn: 'প্রচার' }, kind: 'choice', required: true,
      choices: [{ key: 'eid_fair', label: { en: 'Eid fair' } }, { key: 'facebook', label: { en: 'Facebook' } }],
    },
  })).json();
  const buyer = await (await admin.request.post('/api/v1/contacts', { data: { name: `Showing Buyer ${stamp}` } })).json();
  const title = `Lake flat ${stamp}`;
  const listing = await (await admin.request.post('/api/v1/listings', {
    data: {
      title, kind: 'apartment', transaction: 'sale', status: 'available', price: { amount: 1_250_000_000, currency: 'BDT' },
      location: { lat: 23.7925, lon: 90.4078 },
    },
  })).json();
  const showing = await admin.request.post('/api/v1/appointments', {
    data: {
      kind: 'showing', title: 'Show the flat', starts_at: new Date(Date.now() + 3_600_000).toISOString(),
      contact_id: buyer.id, listing_id: listing.id,
    },
  });
  expect(showing.status()).toBe(201);
  let deal = '';
  try {
    await admin.goto(`/listings/${listing.id}`);
    await expect(admin.locator('body')).toHaveAttribute('data-hydrated', 'true');
    const row = admin.locator('section.showings .showing-row').filter({ hasText: buyer.name });
    await row.getByRole('button', { name: 'Open a deal' }).click();
    const picker = row.locator(`select[name="custom.${key}"]`);
    await expect(picker).toBeVisible();
    await row.getByRole('button', { name: 'Open a deal' }).click();
    await expect(row.locator(`[data-field="${key}"] .field-error`)).toHaveText('Required.');
    await picker.selectOption('facebook');
    await shot(admin, 'desktop-showing-deal-fields');
    await row.getByRole('button', { name: 'Open a deal' }).click();
    await expect(admin).toHaveURL(/\/pipeline$/);
    const board = await (await admin.request.get('/api/v1/deals')).json();
    const opened = board.items.find((d: any) => d.listing_id === listing.id);
    deal = opened?.id ?? '';
    expect(opened?.custom).toEqual({ [key]: 'facebook' });
  } finally {
    if (deal) expect((await admin.request.delete(`/api/v1/deals/${deal}`)).status()).toBe(204);
    expect((await admin.request.delete(`/api/v1/listings/${listing.id}`)).status()).toBe(204);
    expect((await admin.request.delete(`/api/v1/fields/${field.id}`)).status()).toBe(204);
    await admin.context().close();
  }
});
