import { test, expect } from '@playwright/test';
test('debug @desktop', async ({ page }) => {
  let errors = 0;
  page.on('pageerror', (e) => { errors++; });
  page.on('console', (m) => { if (m.type() === 'error' && m.text().includes('hydrat')) console.log('HYD', m.text().slice(0, 600)); });
  await page.goto('/login');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('Email').fill('admin@fieldwork.demo');
  await page.getByLabel('Password').fill('fieldwork-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/$/);
  for (const path of ['/', '/listings', '/more', '/calendar', '/contacts', '/tasks', '/pipeline', '/contacts/new', '/contacts/import']) {
    errors = 0;
    await page.goto(path);
    await page.waitForTimeout(1500);
    console.log('PAGE', path, 'errors', errors);
  }
});
