import { test, expect, Browser } from '@playwright/test';
import { signIn, inEnglish, shot } from './helpers';

// Territory control: a manager on a desktop draws a territory on the map around a group of
// contacts, assigns a new rep to it, and that rep — on a phone — then sees the contacts inside
// it and no others. Screenshots land in end2end/screenshots/.

const PASSWORD = 'map-rep-password-2026';

/// As the admin: a new rep in the demo manager's team, and contacts in Chattogram (three close
/// together, one 30 km north of them), far from the demo's Dhaka territories. They belong to
/// another rep of the team, so the manager sees them and the new rep, at first, does not.
async function arrange(browser: Browser, stamp: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'admin@fieldwork.demo');
  const users = await (await page.request.get('/api/v1/users')).json();
  const all = users.items ?? users;
  const manager = all.find((u: any) => u.email === 'manager@fieldwork.demo');
  const owner = all.find((u: any) => u.email === 'rep2@fieldwork.demo');
  const rep = { email: `maprep${stamp}@fieldwork.demo`, name: `Mina Map ${stamp}` };
  const created = await page.request.post('/api/v1/users', {
    data: { ...rep, role: 'rep', manager_id: manager.id, language: 'en', time_zone: 'Asia/Dhaka', password: PASSWORD },
  });
  expect(created.status()).toBe(201);
  const inside: { id: string; name: string }[] = [];
  for (const [i, [lat, lon]] of [[22.335, 91.812], [22.338, 91.816], [22.332, 91.818]].entries()) {
    const r = await page.request.post('/api/v1/contacts', {
      data: { name: `Chattogram ${i + 1} ${stamp}`, location: { lat, lon }, owner_id: owner.id },
    });
    expect(r.status()).toBe(201);
    inside.push(await r.json());
  }
  const outside = await page.request.post('/api/v1/contacts', {
    data: { name: `Sitakunda ${stamp}`, location: { lat: 22.61, lon: 91.66 }, owner_id: owner.id },
  });
  expect(outside.status()).toBe(201);
  await context.close();
  return { rep, inside };
}

test('a manager draws a territory, assigns a rep, and the rep sees the contacts inside it and no others @desktop', async ({ page, browser }) => {
  const stamp = String(Date.now()).slice(-6);
  const { rep, inside } = await arrange(browser, stamp);

  await signIn(page, 'manager@fieldwork.demo');
  await inEnglish(page);
  await page.goto('/territories');
  await expect(page.getByRole('heading', { level: 1, name: 'Territories' })).toBeVisible();
  const map = page.getByRole('application', { name: 'Map of territories, contacts and listings' });
  await expect(map).toBeVisible();
  // The demo's territories are listed with their workload.
  await expect(page.locator('.territory-row').first()).toBeVisible();

  // The Chattogram contacts, drawn as one cluster (or single points) on the map.
  const marks = page.locator(inside.map((c) => `[data-contact="${c.id}"], [data-contacts~="${c.id}"]`).join(', '));
  await expect(marks.first()).toBeVisible();
  const box = await marks.first().boundingBox();
  expect(box).not.toBeNull();
  const cx = box!.x + box!.width / 2;
  const cy = box!.y + box!.height / 2;

  // Draw a square around them, corner by corner.
  await page.getByRole('button', { name: 'Draw a territory' }).click();
  await expect(page.getByRole('heading', { name: 'New territory' })).toBeVisible();
  const r = 30;
  for (const [dx, dy] of [[-r, -r], [r, -r], [r, r], [-r, r]]) {
    await page.mouse.click(cx + dx, cy + dy);
  }
  await expect(page.getByText('Corners placed: 4')).toBeVisible();
  await page.getByLabel('Name').fill(`Chattogram ${stamp}`);
  await shot(page, 'desktop-territory-drawing');
  await page.getByRole('button', { name: 'Save territory' }).click();

  // The new territory is selected: its contacts were assigned to it as it was saved.
  const panel = page.getByRole('complementary', { name: 'Territories and workload' });
  await expect(panel.getByRole('heading', { name: `Chattogram ${stamp}` })).toBeVisible();
  const contactsStat = panel.locator('.stat-grid div').filter({ hasText: 'Contacts' }).locator('dd');
  await expect(contactsStat).toHaveText('3');

  await panel.getByRole('checkbox', { name: rep.name }).check();
  await panel.getByRole('button', { name: 'Save assignments' }).click();
  await expect(panel.getByRole('status').filter({ hasText: 'Assignments saved.' })).toBeVisible();
  await shot(page, 'desktop-territory-map');

  // Reshape it: drag one corner outwards and save; the contacts inside stay inside.
  const versionOf = async () =>
    (await (await page.request.get('/api/v1/territories')).json()).find((t: any) => t.name === `Chattogram ${stamp}`).version;
  const before = await versionOf();
  await panel.getByRole('button', { name: 'Edit outline' }).click();
  const corner = page.locator('.edit-corner').first();
  const at = (await corner.boundingBox())!;
  await page.mouse.move(at.x + at.width / 2, at.y + at.height / 2);
  await page.mouse.down();
  await page.mouse.move(at.x - 15, at.y - 15, { steps: 5 });
  await page.mouse.up();
  await panel.getByRole('button', { name: 'Save outline' }).click();
  await expect(panel.getByRole('button', { name: 'Edit outline' })).toBeVisible();
  await expect(contactsStat).toHaveText('3');
  expect(await versionOf()).toBeGreaterThan(before);

  // The rep signs in on a phone and sees exactly the contacts inside the territory.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const repPage = await phone.newPage();
  await signIn(repPage, rep.email, PASSWORD);
  await repPage.goto('/contacts');
  const records = repPage.locator('.record-list .record');
  await expect(records).toHaveCount(3);
  for (const c of inside) {
    await expect(records.filter({ hasText: c.name })).toHaveCount(1);
  }
  await expect(repPage.getByText(`Sitakunda ${stamp}`)).toHaveCount(0);
  await repPage.screenshot({ path: 'end2end/screenshots/phone-rep-territory-contacts.png' });

  // Their map shows the territory and their three contacts only.
  await repPage.goto('/territories');
  await expect(repPage.locator('.map-point.contact, .map-cluster.contact').first()).toBeVisible();
  await expect(repPage.locator(`[data-contact], [data-contacts]`)).not.toHaveCount(0);
  const shown = await repPage.locator('[data-contact], [data-contacts]').evaluateAll((els) =>
    els.flatMap((e) => (e.getAttribute('data-contact') ?? e.getAttribute('data-contacts') ?? '').split(' ')));
  expect(shown.sort()).toEqual(inside.map((c) => c.id).sort());
  await repPage.screenshot({ path: 'end2end/screenshots/phone-territory-map.png' });
  await phone.close();
});

test('a manager on a phone opens the map, selects a territory and sees its counts @phone', async ({ page }) => {
  await signIn(page, 'manager@fieldwork.demo');
  await inEnglish(page);
  await page.goto('/more');
  await page.getByRole('link', { name: 'Territories' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Territories' })).toBeVisible();
  const firstRow = page.locator('.territory-row').first();
  await expect(firstRow).toBeVisible();
  const name = (await firstRow.locator('.row-name').textContent())!.trim();
  await firstRow.click();
  const panel = page.getByRole('complementary', { name: 'Territories and workload' });
  await expect(panel.getByRole('heading', { name })).toBeVisible();
  await expect(panel.locator('.stat-grid dd').first()).toHaveText(/\d/);
  await expect(panel.getByRole('button', { name: 'Save assignments' })).toBeVisible();
  await shot(page, 'phone-territory-details');
});
