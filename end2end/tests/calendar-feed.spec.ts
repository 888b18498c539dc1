import { test, expect } from '@playwright/test';
import ICAL from 'ical.js';
import { signIn, inEnglish } from './helpers';

// The private calendar feed, read by an independent iCalendar parser (ical.js, the one behind
// several web calendar clients): it parses, and a weekly 09:00 London series lands at 09:00
// GMT before the March change and at 08:00 UTC (09:00 BST) after it, without the skipped date.

test('the calendar feed parses in ical.js with the right times across a DST change @desktop', async ({ page }) => {
  await signIn(page, 'rep2@fieldwork.demo');
  await inEnglish(page);
  const stamp = String(Date.now()).slice(-7);
  const title = `Key account review ${stamp}`;
  const created = await page.request.post('/api/v1/appointments', {
    data: {
      kind: 'meeting', title, starts_at: '2027-03-18T09:00:00Z', ends_at: '2027-03-18T10:00:00Z',
      time_zone: 'Europe/London', reminder_minutes: 30, allow_overlap: true,
      recurrence: { frequency: 'weekly', count: 5 },
    },
  });
  expect(created.status()).toBe(201);
  const series = await created.json();
  const skip = await page.request.patch(`/api/v1/appointments/${series.id}`, { data: { skip_date: '2027-03-25' } });
  expect(skip.status()).toBe(200);
  const cancelledTitle = `Cancelled call ${stamp}`;
  const call = await (await page.request.post('/api/v1/appointments', {
    data: { kind: 'call', title: cancelledTitle, starts_at: '2027-02-02T05:00:00Z', allow_overlap: true },
  })).json();
  await page.request.patch(`/api/v1/appointments/${call.id}`, { data: { status: 'cancelled' } });

  const { url } = await (await page.request.get('/api/v1/me/calendar-feed')).json();
  // A calendar app has no session: a fresh request context fetches the feed.
  const feed = await page.context().request.fetch(url, { headers: { cookie: '' } });
  expect(feed.status()).toBe(200);
  expect(feed.headers()['content-type']).toContain('text/calendar');

  const calendar = new ICAL.Component(ICAL.parse(await feed.text()));
  for (const zone of calendar.getAllSubcomponents('vtimezone')) {
    ICAL.TimezoneService.register(zone);
  }
  const events = calendar.getAllSubcomponents('vevent').map((e: any) => new ICAL.Event(e));
  const review = events.find((e: any) => e.summary === title);
  expect(review, 'the series is in the feed').toBeTruthy();
  expect(review.uid).toBe(`${series.id}@fieldwork`);
  expect(review.startDate.zone.tzid).toBe('Europe/London');
  const it = review.iterator();
  const starts: string[] = [];
  for (let next = it.next(); next && starts.length < 10; next = it.next()) {
    starts.push(next.toJSDate().toISOString());
  }
  expect(starts).toEqual([
    '2027-03-18T09:00:00.000Z',
    '2027-04-01T08:00:00.000Z',
    '2027-04-08T08:00:00.000Z',
    '2027-04-15T08:00:00.000Z',
  ]);
  const alarm = review.component.getFirstSubcomponent('valarm');
  expect(alarm.getFirstPropertyValue('trigger').toString()).toBe('-PT30M');
  const cancelled = events.find((e: any) => e.summary === cancelledTitle);
  expect(cancelled.component.getFirstPropertyValue('status')).toBe('CANCELLED');
});
