import { test, expect, devices, Browser, Page } from '@playwright/test';
import { inEnglish, shot, signIn } from './helpers';

// The office desk: on a desktop the contact list is a table whose columns each user chooses
// (built-in ones and the business's own fields), orders, sorts by and sizes, and which opens
// the same way next time; rows selected across pages change together and come back with Undo;
// a phone keeps its cards.
//
// The journey's field has a key of this run and is deleted at the end, and office staff's
// layout is put back, so the other journeys meet the list as it was.

const DEFAULT_VIEW = {
  columns: ['name', 'lifecycle', 'phone', 'email', 'owner', 'last_activity'].map((key) => ({ key })),
};

async function desktop(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await signIn(page, email);
  await inEnglish(page);
  return page;
}

function columnsOf(page: Page) {
  return () => page.locator('.desk-table thead th[data-column]').evaluateAll((ths) => ths.map((th) => (th as HTMLElement).dataset.column));
}

test('office staff choose, order, sort and size the contact table, and it opens the same way again @desktop', async ({ browser }) => {
  const stamp = String(Date.now()).slice(-7);
  const key = `tier_${stamp}`;
  const tier = `Tier ${stamp}`;
  const admin = await desktop(browser, 'admin@fieldwork.demo');
  const made = await admin.request.post('/api/v1/fields', {
    data: {
      record_type: 'contact', key, label: { en: tier, bn: 'স্তর' }, kind: 'choice',
      choices: [{ key: 'gold', label: { en: 'Gold' } }, { key: 'silver', label: { en: 'Silver' } }],
    },
  });
  expect(made.status()).toBe(201);
  const field = await made.json();
  const office = await desktop(browser, 'office@fieldwork.demo');
  try {
    expect((await office.request.put('/api/v1/me/views/contacts', { data: DEFAULT_VIEW })).status()).toBe(200);
    const buyer = await office.request.post('/api/v1/contacts', {
      data: { name: `Tiered Buyer ${stamp}`, phones: ['01711-555000'], custom: { [key]: 'gold' } },
    });
    expect(buyer.status()).toBe(201);
    const { total } = await (await office.request.get('/api/v1/contacts?total=true')).json();

    await office.goto('/contacts');
    await expect(office.locator('body')).toHaveAttribute('data-hydrated', 'true');
    const table = office.locator('.desk-table');
    await expect(table).toBeVisible();
    await expect(office.locator('.record-list')).toHaveCount(0);
    await expect.poll(columnsOf(office)).toEqual(['name', 'lifecycle', 'phone', 'email', 'owner', 'last_activity']);
    await expect(office.getByTestId('table-count')).toHaveText(`Showing 50 of ${total}`);

    // Sorted by last activity, the most recent first (as the API orders it).
    await table.getByRole('button', { name: 'Last activity' }).click();
    await expect(table.locator('th[data-column="last_activity"]')).toHaveAttribute('aria-sort', 'descending');
    const recent = await (await office.request.get('/api/v1/contacts?sort=-last_activity&limit=2')).json();
    await expect(table.locator('tbody tr').first().locator('td[data-column="name"]')).toHaveText(recent.items[0].name);
    await expect(table.locator('tbody tr').nth(1).locator('td[data-column="name"]')).toHaveText(recent.items[1].name);

    // Thirty contacts across two pages (the 41st to the 70th: a tick, then a Shift-click) go to
    // another rep, and come back with Undo.
    const rows = table.locator('tbody tr');
    await office.getByRole('button', { name: 'Load more' }).click();
    await expect(rows).toHaveCount(100);
    const picked: string[] = await rows.evaluateAll((trs) =>
      trs.slice(40, 70).map((tr) => tr.querySelector('td[data-column="name"] a')!.getAttribute('href')!.split('/').pop()!));
    const ownersOf = () => Promise.all(picked.map(async (id) => (await (await office.request.get(`/api/v1/contacts/${id}`)).json()).owner_id));
    const before = await ownersOf();
    await rows.nth(40).getByRole('checkbox').check();
    await rows.nth(69).getByRole('checkbox').click({ modifiers: ['Shift'] });
    await expect(office.getByTestId('selected-count')).toHaveText('30 selected');
    const reps: { id: string, name: string }[] = await (await office.request.get('/api/v1/territories/reps')).json();
    const target = reps.find((r) => r.id !== before[0])!;
    const moving = before.filter((o) => o !== target.id).length;
    await office.locator('#bulk-owner').selectOption(target.id);
    await shot(office, 'desktop-contacts-bulk');
    await office.getByRole('button', { name: 'Assign', exact: true }).click();
    const status = office.locator('.bulk-status');
    await expect(status).toContainText(`Changed ${moving} contacts (${30 - moving} left as they were).`);
    await shot(office, 'desktop-contacts-bulk-done');
    expect(new Set(await ownersOf())).toEqual(new Set([target.id]));
    await status.getByRole('button', { name: 'Undo' }).click();
    await expect(status).toContainText(`Put back ${moving} contacts.`);
    expect(await ownersOf()).toEqual(before);

    // Columns: Territory and the business's Tier in, Email out, Tier moved before Last activity.
    await office.getByRole('button', { name: 'Columns' }).click();
    const panel = office.locator('#column-chooser-panel');
    await expect(panel.getByRole('checkbox', { name: 'Name', exact: true })).toBeDisabled();
    await panel.getByRole('checkbox', { name: 'Territory', exact: true }).check();
    await panel.getByRole('checkbox', { name: tier, exact: true }).check();
    await panel.getByRole('checkbox', { name: 'Email', exact: true }).uncheck();
    await panel.getByRole('button', { name: `Move ${tier} earlier` }).click();
    await expect(panel.getByRole('button', { name: `Move ${tier} earlier` }), 'the keyboard keeps its place').toBeFocused();
    await office.keyboard.press('Enter');
    // The panel shows what is chosen (its boxes follow the layout as rows move about).
    await expect(panel.getByRole('checkbox', { name: 'Owner', exact: true })).toBeChecked();
    await expect(panel.getByRole('checkbox', { name: 'Email', exact: true })).not.toBeChecked();
    await expect(panel.getByRole('checkbox', { name: 'Company', exact: true })).not.toBeChecked();
    await expect(panel.locator('input:checked')).toHaveCount(7);
    await shot(office, 'desktop-contacts-columns');
    await office.keyboard.press('Escape');
    await expect(panel).toHaveCount(0);
    const chosen = ['name', 'lifecycle', 'phone', 'owner', `custom.${key}`, 'last_activity', 'territory'];
    await expect.poll(columnsOf(office)).toEqual(chosen);

    // Sizes: the Name column by keyboard, the Phone column by dragging its edge.
    const nameEdge = table.getByRole('separator', { name: 'Resize the Name column' });
    await nameEdge.focus();
    await nameEdge.press('ArrowRight');
    await nameEdge.press('ArrowRight');
    await expect(nameEdge).toHaveAttribute('aria-valuenow', '272');
    const phoneEdge = table.getByRole('separator', { name: 'Resize the Phone column' });
    const box = (await phoneEdge.boundingBox())!;
    await office.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await office.mouse.down();
    await office.mouse.move(box.x + box.width / 2 + 30, box.y + box.height / 2, { steps: 3 });
    await office.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2, { steps: 3 });
    await office.mouse.up();
    await expect(phoneEdge).toHaveAttribute('aria-valuenow', '230');

    // The business's field reads as its choice's label.
    await office.getByRole('searchbox', { name: 'Search contacts' }).fill(`Tiered Buyer ${stamp}`);
    const row = table.locator('tbody tr').filter({ hasText: `Tiered Buyer ${stamp}` });
    await expect(row.locator(`td[data-column="custom.${key}"]`)).toHaveText('Gold');
    await expect(office.getByTestId('table-count')).toHaveText('Showing 1');
    await shot(office, 'desktop-contacts-table');

    // Opened again (and on another desk: the layout is kept by the server), it is as they left it.
    const other = await desktop(browser, 'office@fieldwork.demo');
    for (const page of [office, other]) {
      if (page === office) await page.reload();
      else await page.goto('/contacts');
      await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
      await expect.poll(columnsOf(page)).toEqual(chosen);
      await expect(page.locator('th[data-column="last_activity"]')).toHaveAttribute('aria-sort', 'descending');
      await expect(page.getByRole('separator', { name: 'Resize the Name column' })).toHaveAttribute('aria-valuenow', '272');
      await expect(page.getByRole('separator', { name: 'Resize the Phone column' })).toHaveAttribute('aria-valuenow', '230');
    }
    await other.context().close();

    // A phone keeps the cards.
    const phone = await browser.newContext({ ...devices['Pixel 7'], viewport: { width: 390, height: 844 } });
    const onPhone = await phone.newPage();
    await signIn(onPhone, 'office@fieldwork.demo');
    await inEnglish(onPhone);
    await onPhone.goto('/contacts');
    await expect(onPhone.locator('.record-list .record').first()).toBeVisible();
    await expect(onPhone.locator('.desk-table')).toHaveCount(0);
    await phone.close();
  } finally {
    await office.request.put('/api/v1/me/views/contacts', { data: DEFAULT_VIEW });
    await office.context().close();
    expect((await admin.request.delete(`/api/v1/fields/${field.id}`)).status()).toBe(204);
    await admin.context().close();
  }
});

test('a manager moves a leaving rep\'s whole book to two reps, split by territory @desktop', async ({ browser }) => {
  const stamp = String(Date.now()).slice(-7);
  const admin = await desktop(browser, 'admin@fieldwork.demo');
  const users: { id: string, email: string }[] = await (await admin.request.get('/api/v1/users')).json();
  const boss = users.find((u) => u.email === 'manager@fieldwork.demo')!;
  const leaving = { email: `leaving${stamp}@fieldwork.demo`, name: `Leaving Rep ${stamp}` };
  const made = await admin.request.post('/api/v1/users', {
    data: { ...leaving, role: 'rep', language: 'en', time_zone: 'Asia/Dhaka', password: 'book journey password', manager_id: boss.id },
  });
  expect(made.status()).toBe(201);
  const leavingId = (await made.json()).id;
  await admin.context().close();

  // A territory with a rep, a point inside it (where a contact is already placed), and a rep
  // who does not work it.
  const manager = await desktop(browser, 'manager@fieldwork.demo');
  const api = manager.request;
  const reps: { id: string, name: string }[] = await (await api.get('/api/v1/territories/reps')).json();
  let home: { territory: string, rep: string, point: { lat: number, lon: number } } | undefined;
  for (const t of await (await api.get('/api/v1/territories')).json()) {
    const assignees: { user_id: string }[] = await (await api.get(`/api/v1/territories/${t.id}/assignees`)).json();
    const placed = (await (await api.get(`/api/v1/contacts?territory=${t.id}&limit=50`)).json()).items.find((c: any) => c.location);
    if (assignees.length === 1 && placed) {
      home = { territory: t.id, rep: assignees[0].user_id, point: placed.location };
      break;
    }
  }
  expect(home, 'the demo has a territory worked by one rep').toBeTruthy();
  const homeRep = reps.find((r) => r.id === home!.rep)!;
  const other = reps.find((r) => r.id !== home!.rep && r.id !== leavingId)!;

  // The leaving rep's book: a contact in that territory with a follow-up, and one in none.
  const inside = await (await api.post('/api/v1/contacts', {
    data: { name: `Book Inside ${stamp}`, owner_id: leavingId, location: home!.point },
  })).json();
  expect(inside.territory_id).toBe(home!.territory);
  const nowhere = await (await api.post('/api/v1/contacts', { data: { name: `Book Nowhere ${stamp}`, owner_id: leavingId } })).json();
  const due = new Date(Date.now() + 86_400_000).toISOString();
  expect((await api.post('/api/v1/tasks', { data: { title: `Call back ${stamp}`, contact_id: inside.id, assignee_id: leavingId, due_at: due } })).status()).toBe(201);

  await manager.goto('/territories');
  await expect(manager.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const books = manager.locator('.rep-books');
  await books.getByRole('button', { name: `Move ${leaving.name}'s book` }).click();
  const form = books.locator('form.move-book');
  await expect(form.getByTestId('book-holds')).toHaveText('Contacts: 2 · open deals: 0 · follow-ups: 1 · coming appointments: 0');
  // The first rep ticked takes what lies outside the territories of the others.
  await form.getByLabel(other.name, { exact: true }).check();
  await form.getByLabel(homeRep.name, { exact: true }).check();
  await shot(manager, 'desktop-move-book');
  manager.once('dialog', (dialog) => dialog.accept());
  await form.getByRole('button', { name: 'Move the book' }).click();
  const notice = books.getByRole('status');
  await expect(notice).toContainText(`Moved ${leaving.name}'s book`);
  await expect(notice).toContainText(`${homeRep.name} — contacts 1, deals 0, follow-ups 1, appointments 0`);
  await expect(notice).toContainText(`${other.name} — contacts 1, deals 0, follow-ups 0, appointments 0`);
  await shot(manager, 'desktop-moved-book');
  const ownerOf = async (id: string) => (await (await api.get(`/api/v1/contacts/${id}`)).json()).owner_id;
  expect(await ownerOf(inside.id)).toBe(homeRep.id);
  expect(await ownerOf(nowhere.id)).toBe(other.id);
  const book = await (await api.get(`/api/v1/users/${leavingId}/book`)).json();
  expect(book).toEqual({ contacts: 0, open_deals: 0, open_tasks: 0, upcoming_appointments: 0 });
  await manager.context().close();
});
