import { test, expect, Page } from '@playwright/test';
import * as fs from 'fs';
import { inEnglish, signIn, shot } from './helpers';

// Dashboards and reports: a manager narrows the team dashboard to a period and a territory and
// exports a table (the CSV says what the screen says); a rep opens their own numbers on a phone
// and taps through to the records; office staff pick a report and download it for Excel.

/// A CSV text as rows of cells (quoted cells may hold commas and doubled quotes).
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; }
    else if (c !== '\r') cell += c;
  }
  if (cell !== '' || row.length > 0) { row.push(cell); rows.push(row); }
  return rows;
}

/// The table of a report card as on screen: the header, the rows, the totals.
async function screenTable(page: Page, report: string): Promise<string[][]> {
  const table = page.locator(`[data-report="${report}"] table.report-table`);
  // textContent, not innerText: headings are shown in capitals by the style sheet.
  const header = await table.locator('thead th').allTextContents();
  const rows = await table.locator('tbody tr, tfoot tr').evaluateAll((trs) =>
    trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => (td.textContent ?? '').trim())));
  return [header.map((h) => h.trim()), ...rows];
}

test('@desktop a manager narrows the dashboard to a period and a territory and exports a table that matches the screen', async ({ page }, info) => {
  await signIn(page, 'manager@fieldwork.demo');
  await inEnglish(page);
  await page.goto('/dashboard');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.getByRole('heading', { name: 'Dashboard', exact: true })).toBeVisible();
  const reps = page.locator('[data-report="reps"]');
  await expect(reps.getByRole('heading', { name: 'Activity by rep' })).toBeVisible();
  await expect(page.locator('.figure-card[data-metric="win_rate"]')).toContainText('Deals won ÷ deals closed');
  await expect(page.getByRole('img', { name: /Visits planned · Visits done/ })).toBeVisible();

  // The last 90 days, in one territory.
  await page.getByLabel('Period').selectOption({ label: 'Last 90 days' });
  await expect(page.locator('.team[data-query*="from="]')).toBeVisible();
  const territory = page.locator('select[name="territory"]');
  const options = await territory.locator('option').allInnerTexts();
  await territory.selectOption({ index: 1 });
  await expect(page.locator('.team[data-query*="territory="]')).toBeVisible();
  const chosen = await territory.locator('option:checked').innerText();
  expect(options).toContain(chosen);
  const period = await page.locator('.team').getAttribute('data-query');
  const from = new Date(Date.now() - 89 * 86_400_000).toISOString().slice(0, 10);
  expect(period).toContain('from=');
  expect(Math.abs(Date.parse(period!.match(/from=([0-9-]+)/)![1]) - Date.parse(from))).toBeLessThanOrEqual(86_400_000);
  await shot(page, `${info.project.name}-manager-dashboard`);

  const onScreen = await screenTable(page, 'reps');
  expect(onScreen.length).toBeGreaterThan(2);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    reps.getByRole('link', { name: /^Export CSV/ }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^reps-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = parseCsv(fs.readFileSync((await download.path())!, 'utf8'));
  expect(csv).toEqual(onScreen);

  // The territory table shows just the chosen territory and its total.
  const territories = await screenTable(page, 'territories');
  expect(territories.slice(1).map((r) => r[0])).toEqual([chosen, 'Total']);
});

test('@phone a rep sees today\'s numbers on the phone and a number opens the records behind it', async ({ page }, info) => {
  await signIn(page, 'rep1@fieldwork.demo');
  await inEnglish(page);
  await page.goto('/more');
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard', exact: true })).toBeVisible();
  const visits = page.locator('.stat-card').filter({ hasText: 'Visits today, done of planned' });
  await expect(visits.locator('.stat-value')).toHaveText(/^\d+ \/ \d+$/);
  // The demo gives every rep appointments today.
  expect(Number((await visits.locator('.stat-value').innerText()).split(' / ')[1])).toBeGreaterThan(0);
  await expect(page.locator('.stat-card').filter({ hasText: 'My NPS' }).locator('.stat-value')).toHaveText(/^([+-]\d+|—)$/);
  const box = await visits.boundingBox();
  expect(box!.height).toBeGreaterThanOrEqual(44);
  await shot(page, `${info.project.name}-rep-dashboard`);
  await page.locator('.stat-card').filter({ hasText: 'Follow-ups due today' }).click();
  await expect(page).toHaveURL(/\/tasks$/);
});

test('@desktop office staff pick a report, see its chart and download it for Excel', async ({ page }, info) => {
  await signIn(page, 'office@fieldwork.demo');
  await inEnglish(page);
  await page.goto('/reports');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.getByRole('heading', { name: 'Reports', exact: true })).toBeVisible();
  await page.getByRole('tab', { name: 'Pipeline by stage' }).click();
  const pipeline = page.locator('[data-report="pipeline"]');
  await expect(pipeline.locator('tbody tr')).toHaveCount(5);
  await expect(page.getByRole('img', { name: /^Pipeline by stage\./ })).toBeVisible();
  await page.getByRole('tab', { name: 'Customer metrics' }).click();
  const customers = page.locator('[data-report="customers"]');
  await expect(customers).toContainText('Retention rate');
  await expect(customers).toContainText('customers at the start');
  await shot(page, `${info.project.name}-reports`);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    customers.getByRole('link', { name: 'Export Excel' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^customers-.*\.xlsx$/);
  const bytes = fs.readFileSync((await download.path())!);
  expect(bytes.subarray(0, 2).toString()).toBe('PK');
});
