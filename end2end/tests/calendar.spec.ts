import { test, expect } from '@playwright/test';
import { signIn, inEnglish, shot } from './helpers';

// Office staff find a slot for a rep: the day grid shows every rep side by side; a new
// appointment that collides with the rep's existing one is named as an overlap and kept on
// purpose; it then sits in that rep's column.

test.use({ timezoneId: 'Asia/Dhaka' });

test('office staff schedule a rep from the day grid, keeping an overlap on purpose @desktop', async ({ page }) => {
  await signIn(page, 'office@fieldwork.demo');
  await inEnglish(page);
  await page.goto('/calendar');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByRole('tab', { name: 'Day' }).click();
  const rafiq = page.getByRole('region', { name: 'Rafiq Islam' });
  await expect(rafiq).toBeVisible();
  expect(await page.locator('.grid-column').count()).toBeGreaterThan(1);

  // Rafiq already has something tomorrow at 10:00 (the form's default) in Dhaka (UTC+6).
  const reps = await (await page.request.get('/api/v1/territories/reps')).json();
  const rafiqId = reps.find((r: any) => r.name === 'Rafiq Islam').id;
  const dhakaNow = new Date(Date.now() + 6 * 3600_000);
  const tenTomorrow = new Date(Date.UTC(dhakaNow.getUTCFullYear(), dhakaNow.getUTCMonth(), dhakaNow.getUTCDate() + 1, 4, 0));
  const existing = await page.request.post('/api/v1/appointments', {
    data: { kind: 'meeting', title: 'Already booked', assignee_id: rafiqId, starts_at: tenTomorrow.toISOString(), allow_overlap: true },
  });
  expect(existing.status()).toBe(201);
  const existing_id = (await existing.json()).id;
  const title = `Stock count ${String(Date.now()).slice(-6)}`;
  await page.getByRole('button', { name: 'New appointment' }).click();
  await page.getByRole('combobox', { name: 'For', exact: true }).selectOption({ label: 'Rafiq Islam' });
  await page.getByLabel('What').fill(title);
  await page.getByLabel('Length').selectOption('60');
  await page.getByLabel('Reminder').selectOption('30');
  await page.getByRole('button', { name: 'Schedule it' }).click();
  await expect(page.getByRole('alert')).toContainText('overlaps');
  await page.getByRole('button', { name: 'Schedule anyway' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Appointment scheduled' })).toBeVisible();

  await page.getByRole('button', { name: 'Next' }).click();
  const block = rafiq.locator('.grid-block').filter({ hasText: title });
  await expect(block).toBeVisible();
  await expect(block).toContainText('10:00');
  await shot(page, 'desktop-calendar-day');

  // The booked one is called off from the agenda, after a confirmation; it stays, marked cancelled.
  await page.getByRole('tab', { name: 'Agenda' }).click();
  const booked = page.locator('.agenda-card').filter({ hasText: 'Already booked' }).filter({ hasText: 'Rafiq Islam' });
  await expect(booked).toHaveCount(1);
  await expect(booked.getByRole('link', { name: 'Add to my calendar (.ics)' })).toHaveAttribute('href', `/api/v1/appointments/${existing_id}/ics`);
  page.once('dialog', (dialog) => dialog.accept());
  await booked.getByRole('button', { name: 'Cancel appointment' }).click();
  await expect(booked.locator('.badge').filter({ hasText: 'Cancelled' })).toBeVisible();
  await expect(booked.getByRole('button', { name: 'Cancel appointment' })).toHaveCount(0);
});
