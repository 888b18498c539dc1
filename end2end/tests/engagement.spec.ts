import { test, expect, Page } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';
import { inEnglish, lateMorningZone, mailDir, otherSite, signIn, shot } from './helpers';

// Lead capture and feedback: an admin builds a web form, a page on another site posts to it and
// the lead appears with the submission on its timeline (a burst of posts is refused with 429);
// a rep checks out of a visit, the customer opens the feedback link from the email and answers,
// and the answer shows on the contact.

/// The body of the newest email to `to`, once the server's worker has written it.
async function emailTo(to: string): Promise<string> {
  let found = '';
  await expect.poll(() => {
    const files = fs.existsSync(mailDir) ? fs.readdirSync(mailDir).filter((f) => f.endsWith('.eml')).sort() : [];
    for (const f of files.reverse()) {
      const text = fs.readFileSync(path.join(mailDir, f), 'utf8').replace(/=\r\n/g, '').replace(/=3D/g, '=');
      if (text.includes(`To: ${to}`)) { found = text; return true; }
    }
    return false;
  }, { timeout: 15_000 }).toBe(true);
  return found;
}


test('an admin builds a lead form; a page on another site posts to it and the lead arrives with the submission', async ({ page }, info) => {
  const stamp = String(Date.now()).slice(-7);
  await signIn(page, 'admin@fieldwork.demo');
  const me = await (await page.request.patch('/api/v1/me', { data: { language: 'en' } })).json();
  await page.context().addCookies([{ name: 'i18n_pref_locale', value: 'en', url: page.url() }]);
  await page.goto('/admin/forms');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.getByRole('heading', { name: 'Lead forms', exact: true })).toBeVisible();
  await page.getByLabel('Form name').fill(`Website ${stamp}`);
  await page.getByLabel('Ask Company').check();
  await page.getByLabel('New leads are owned by').selectOption({ label: me.name });
  await page.getByLabel('Thank-you message').fill('Thank you! An agent will call you today.');
  await page.getByRole('button', { name: 'Create form' }).click();
  const row = page.locator('.form-record').filter({ hasText: `Website ${stamp}` });
  await expect(row).toBeVisible();
  await expect(row).toContainText('0 submissions');
  const snippet = await row.locator('textarea.snippet').inputValue();
  expect(snippet).toContain('/api/v1/forms/');
  await shot(page, `${info.project.name}-lead-forms`);

  // A visitor on the agency's website (another origin) fills in the pasted form.
  const site = await otherSite(snippet);
  try {
    const visitor = await page.context().browser()!.newPage({ viewport: page.viewportSize()! });
    await visitor.goto(site.url);
    await visitor.getByLabel('Your name').fill(`Farhana Akter ${stamp}`);
    await visitor.getByLabel('Email').fill(`farhana${stamp}@example.com`);
    await visitor.getByLabel('Company').fill('Akter Textiles');
    await visitor.getByLabel('Message').fill('Looking for a 3-bed flat in Banani');
    await visitor.getByRole('button', { name: 'Send' }).click();
    await expect(visitor.getByText('Thank you! An agent will call you today.')).toBeVisible();
    await visitor.close();
  } finally {
    await site.close();
  }

  // The lead is in the CRM with the submission on its timeline, and the owner was told.
  await page.goto('/contacts');
  await page.getByRole('searchbox', { name: 'Search contacts' }).fill(`Farhana Akter ${stamp}`);
  await page.getByRole('link', { name: new RegExp(`Farhana Akter ${stamp}`) }).first().click();
  await expect(page.getByRole('heading', { name: `Farhana Akter ${stamp}` })).toBeVisible();
  const entry = page.locator('.timeline-entry').filter({ hasText: `Web form: Website ${stamp}` });
  await expect(entry).toContainText('Message: Looking for a 3-bed flat in Banani');
  await expect(entry).toContainText('Company: Akter Textiles');
  await shot(page, `${info.project.name}-lead-from-form`);
  const inbox = await (await page.request.get('/api/v1/me/notifications')).json();
  expect(inbox.items.map((n: { title: string }) => n.title)).toContain(`New lead from Website ${stamp}: Farhana Akter ${stamp}`);

  // A burst of posts from one address is cut off.
  const action = snippet.match(/action="([^"]+)"/)![1];
  const statuses: number[] = [];
  for (let i = 0; i < 20; i++) {
    const r = await page.request.post(action, { form: { name: `Bot ${i}`, email: `bot${i}.${stamp}@example.com` } });
    statuses.push(r.status());
  }
  expect(statuses.slice(0, 5)).toEqual([201, 201, 201, 201, 201]);
  expect(statuses.slice(-5)).toEqual([429, 429, 429, 429, 429]);
  await page.goto('/admin/forms');
  await expect(page.locator('.form-record').filter({ hasText: `Website ${stamp}` })).toContainText(/\d+ submissions/);
});

async function answerSurvey(survey: Page, info: { project: { name: string } }) {
  await expect(survey.getByRole('heading', { name: /^Hello Mitu,/ })).toBeVisible();
  await survey.locator('.score-row.csat label').filter({ hasText: /^5$/ }).click();
  await survey.locator('.score-row.nps label').filter({ hasText: /^9$/ }).click();
  await survey.getByLabel('Anything you want to tell us? (optional)').fill('Arrived on time and explained everything.');
  await shot(survey, `${info.project.name}-feedback-survey`);
  await survey.getByRole('button', { name: 'Send my answer' }).click();
  await expect(survey.getByRole('heading', { name: 'Thank you!' })).toBeVisible();
}

test('after a checked-out visit the customer answers the feedback link from the email and the answer shows on the contact', async ({ browser }, info) => {
  const stamp = String(Date.now()).slice(-7);
  const zone = lateMorningZone();
  const admin = await browser.newPage();
  await signIn(admin, 'admin@fieldwork.demo');
  const rep = { email: `feedbackrep${stamp}@fieldwork.demo`, name: `Sumon Survey ${stamp}`, password: 'feedback journey password' };
  expect((await admin.request.post('/api/v1/users', {
    data: { email: rep.email, name: rep.name, role: 'rep', language: 'en', time_zone: zone, password: rep.password },
  })).status()).toBe(201);
  await admin.close();

  const context = await browser.newContext({ ...info.project.use, timezoneId: zone,
    geolocation: { latitude: 23.7806, longitude: 90.4029, accuracy: 10 }, permissions: ['geolocation'] });
  const page = await context.newPage();
  await signIn(page, rep.email, rep.password);
  const customer = `mitu${stamp}@example.com`;
  const contact = await (await page.request.post('/api/v1/contacts', { data: {
    name: `Mitu Chowdhury ${stamp}`, emails: [customer], consent: { email: true, sms: false, calls: true },
    location: { lat: 23.7806, lon: 90.4029 }, address: 'Road 11, Banani',
  } })).json();
  expect((await page.request.post('/api/v1/tasks', {
    data: { title: 'Deliver the brochure', contact_id: contact.id, due_at: new Date(Date.now() - 60_000).toISOString() },
  })).status()).toBe(201);

  await page.goto('/');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByRole('button', { name: 'Check in — Deliver the brochure' }).click();
  const visit = page.locator('.open-visit');
  await visit.getByRole('button', { name: 'Check out' }).click();
  await visit.getByLabel('Outcome').selectOption('Interested');
  await visit.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Checked out.' })).toBeVisible();

  // The customer's email holds a one-time link; opened anywhere, without signing in.
  const email = await emailTo(customer);
  expect(email).toContain(`Subject: How was your visit with ${rep.name}?`);
  const link = email.match(/https?:\/\/\S+\/feedback\/fwf_[0-9a-f]+/)![0];
  const stranger = await browser.newContext({ ...info.project.use });
  const survey = await stranger.newPage();
  await survey.goto(link);
  await answerSurvey(survey, info);
  await survey.goto(link);
  await expect(survey.getByRole('heading', { name: 'This link was already used. Thank you for your answer.' })).toBeVisible();
  await stranger.close();

  await page.goto(`/contacts/${contact.id}`);
  const entry = page.locator('.timeline-entry').filter({ hasText: 'CSAT 5/5 · NPS 9/10' });
  await expect(entry).toContainText('Arrived on time and explained everything.');
  await shot(page, `${info.project.name}-feedback-on-contact`);
  await context.close();
});

test('office staff write a template (an unknown placeholder is refused), send it to a contact and run a campaign', async ({ page }, info) => {
  const stamp = String(Date.now()).slice(-7);
  await signIn(page, 'office@fieldwork.demo');
  await inEnglish(page);
  const tag = `eid${stamp}`;
  for (const [name, consent] of [[`Jamal Uddin ${stamp}`, true], [`Kona Mia ${stamp}`, true], [`Lipi Sarkar ${stamp}`, false]] as const) {
    const r = await page.request.post('/api/v1/contacts', { data: {
      name, emails: [`${name.split(' ')[0].toLowerCase()}${stamp}@example.com`], tags: [tag],
      consent: { email: consent, sms: false, calls: true } } });
    expect(r.status()).toBe(201);
  }

  await page.goto('/templates');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('Template name').fill(`Eid greeting ${stamp}`);
  await page.getByLabel('Subject').fill('Eid Mubarak, {{contact.first_name}}');
  await page.getByLabel('Text').fill('Dear {{contact.nickname}},\nEid Mubarak from all of us.\n{{sender.name}}');
  await page.getByRole('button', { name: 'Save template' }).click();
  await expect(page.locator('.template-editor')).toContainText('unknown placeholder {{contact.nickname}}');
  await page.getByLabel('Text').fill('Dear {{contact.first_name}},\nEid Mubarak from all of us.\n{{sender.name}}');
  await page.getByRole('button', { name: 'Save template' }).click();
  await expect(page.locator('.template-record').filter({ hasText: `Eid greeting ${stamp}` })).toBeVisible();
  await shot(page, `${info.project.name}-templates`);

  // One contact gets it from their page, with a preview first; it lands on the timeline.
  await page.goto('/contacts');
  await page.getByRole('searchbox', { name: 'Search contacts' }).fill(`Jamal Uddin ${stamp}`);
  await page.getByRole('link', { name: new RegExp(`Jamal Uddin ${stamp}`) }).first().click();
  const card = page.locator('.send-template');
  await card.getByLabel('Template').selectOption({ label: `Eid greeting ${stamp}` });
  await expect(card.locator('.email-preview')).toContainText('Eid Mubarak, Jamal');
  await expect(card.locator('.email-preview')).toContainText('Dear Jamal,');
  await card.getByRole('button', { name: 'Send this email' }).click();
  await expect(card.getByRole('status')).toHaveText('Queued for sending and logged on the timeline.');
  await expect(page.locator('.timeline-entry').filter({ hasText: 'Eid Mubarak, Jamal' }).first()).toBeVisible();

  // The campaign: the segment reaches the two who agreed to email, and their emails go out.
  await page.goto('/campaigns');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('Campaign name').fill(`Eid ${stamp}`);
  await page.locator('.campaign-form').getByLabel('Template').selectOption({ label: `Eid greeting ${stamp}` });
  await page.getByLabel('Tag', { exact: true }).fill(tag);
  await page.getByLabel('Tag', { exact: true }).press('Tab');
  await expect(page.locator('.audience')).toHaveText('Reaches 2 contacts · 1 left out (no consent to email or no address)');
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Send campaign' }).click();
  const row = page.locator('.campaign-record').filter({ hasText: `Eid ${stamp}` });
  await expect(row).toContainText('2 recipients');
  await shot(page, `${info.project.name}-campaigns`);
  const kona = await emailTo(`kona${stamp}@example.com`);
  expect(kona).toContain('Dear Kona,');
  expect(kona).toMatch(/\/unsubscribe\/fwu_[0-9a-f]+/);
  await expect.poll(async () => {
    await page.getByRole('button', { name: 'Refresh counts' }).click();
    return row.textContent();
  }, { timeout: 10_000 }).toContain('2 sent');
});
