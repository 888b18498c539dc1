import { test, expect, devices, Browser, Page } from '@playwright/test';
import { inEnglish, shot, signIn } from './helpers';

// The office desk: on a desktop the contact list is a table whose columns each user chooses
// (built-in ones and the business's own fields), orders, sorts by and sizes, and which opens
// the same way next time; a phone keeps its cards.
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
  return () => page.locator('.data-table thead th').evaluateAll((ths) => ths.map((th) => (th as HTMLElement).dataset.column));
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
    const table = office.locator('.data-table');
    await expect(table).toBeVisible();
    await expect(office.locator('.record-list')).toHaveCount(0);
    await expect.poll(columnsOf(office)).toEqual(['name', 'lifecycle', 'phone', 'email', 'owner', 'last_activity']);
    await expect(office.getByTestId('table-count')).toHaveText(`Showing 50 of ${total.toLocaleString('en-GB')}`);

    // Sorted by last activity, the most recent first (as the API orders it).
    await table.getByRole('button', { name: 'Last activity' }).click();
    await expect(table.locator('th[data-column="last_activity"]')).toHaveAttribute('aria-sort', 'descending');
    const recent = await (await office.request.get('/api/v1/contacts?sort=-last_activity&limit=2')).json();
    await expect(table.locator('tbody tr').first().locator('td[data-column="name"]')).toHaveText(recent.items[0].name);
    await expect(table.locator('tbody tr').nth(1).locator('td[data-column="name"]')).toHaveText(recent.items[1].name);

    // Columns: Territory and the business's Tier in, Email out, Tier moved before Last activity.
    await office.getByRole('button', { name: 'Columns' }).click();
    const panel = office.locator('#column-chooser-panel');
    await expect(panel.getByLabel('Name')).toBeDisabled();
    await panel.getByLabel('Territory').check();
    await panel.getByLabel(tier).check();
    await panel.getByLabel('Email').uncheck();
    await panel.getByRole('button', { name: `Move ${tier} earlier` }).click();
    await panel.getByRole('button', { name: `Move ${tier} earlier` }).click();
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
    await expect(phoneEdge).toHaveAttribute('aria-valuenow', '210');

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
      await expect(page.getByRole('separator', { name: 'Resize the Phone column' })).toHaveAttribute('aria-valuenow', '210');
    }
    await other.context().close();

    // A phone keeps the cards.
    const phone = await browser.newContext({ ...devices['Pixel 7'], viewport: { width: 390, height: 844 } });
    const onPhone = await phone.newPage();
    await signIn(onPhone, 'office@fieldwork.demo');
    await inEnglish(onPhone);
    await onPhone.goto('/contacts');
    await expect(onPhone.locator('.record-list .record').first()).toBeVisible();
    await expect(onPhone.locator('.data-table')).toHaveCount(0);
    await phone.close();
  } finally {
    await office.request.put('/api/v1/me/views/contacts', { data: DEFAULT_VIEW });
    await office.context().close();
    expect((await admin.request.delete(`/api/v1/fields/${field.id}`)).status()).toBe(204);
    await admin.context().close();
  }
});
