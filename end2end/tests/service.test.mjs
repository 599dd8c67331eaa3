// End-to-end: service and time — a call dialled from an account page and logged offline
// reaches a colleague's 360° timeline; a case's SLA clock warns and breaches under a fake
// clock; a department meeting reaches calendar apps through its iCalendar feed, read by
// an independent parser (Mozilla's ical.js, not the code that wrote it).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { createAccount, goToArea, launch, openApp, phone, setUp, startServer, waitForOfflineReady, waitForSynced } from './helpers.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  await setUp(server.url);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function save(page, kind, title) {
  await page.getByRole('button', { name: /^(Kaydet|Save)$/ }).click();
  await page.locator(`article.detail[data-kind="${kind}"] h1`, { hasText: title }).waitFor();
}


describe('service and time', () => {
  test('a call dialled from an account and logged offline shows on a colleague\'s timeline', async () => {
    const context = await phone(browser);
    const page = await openApp(context, server.url, '/accounts');
    await waitForOfflineReady(page);
    await createAccount(page, { name: 'Kuzey Lojistik', phone: '0212 555 44 33' });
    await waitForSynced(page);
    const accountPath = new URL(page.url()).pathname;
    // Found by its number however it is spaced, labelled with its kind.
    await page.goto(`${server.url}/search`);
    for (const query of ['0212 555 44', '2125554433', '+90 212 555 4433']) {
      await page.locator('#global-search').fill(query);
      const hit = page.locator('#search-results .card', { hasText: 'Kuzey Lojistik' });
      await hit.waitFor();
      assert.equal(await hit.locator('.kind-label').textContent(), 'Müşteri', query);
    }
    await page.goto(server.url + accountPath);
    await page.locator('article.detail h1', { hasText: 'Kuzey Lojistik' }).waitFor();

    await context.setOffline(true);
    await page.locator('output.sync[data-sync="offline"]').waitFor();
    // The phone's dialer is outside the test: keep the page where it is.
    await page.evaluate(() => {
      window.addEventListener('click', (e) => {
        if (e.target.closest('a.tel')) e.preventDefault();
      }, true);
    });
    await page.locator('dd[data-field="phone"] a.tel').click();
    // The user talks, then comes back to the app.
    await page.waitForTimeout(2_500);
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await page.locator('#call-prompt').waitFor();
    await page.locator('#log-call').click();
    await page.locator('#call-number').waitFor();
    assert.equal(await page.locator('#call-number').inputValue(), '+902125554433');
    assert.match(await page.locator('#call-started').inputValue(), /^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
    assert.match(await page.locator('#call-duration').inputValue(), /^0:0[2-9]$/);
    await page.locator('#call-outcome').selectOption('reached');
    await page.locator('#call-duration').fill('4:30');
    await page.locator('#call-notes').fill('Yeni depo için fiyat istedi.');
    await save(page, 'call', '0212 555 44 33');
    assert.equal(await page.locator('dd[data-field="account"] a').textContent(), 'Kuzey Lojistik');

    // Still offline, the account's page lists it and its timeline shows it.
    // On a phone the 360° page opens on its timeline; the other tabs are a tap away.
    await page.locator('dd[data-field="account"] a').click();
    await page.locator('section.timeline li[data-kind="call"]', { hasText: 'Görüşüldü' }).waitFor();
    assert.equal(await page.locator('#tab-360-timeline').getAttribute('aria-selected'), 'true');
    assert.ok(!(await page.locator('section.related[data-related="call"]').isVisible()), 'related records wait behind their tab');
    await page.locator('#tab-360-related').click();
    await page.locator('section.related[data-related="call"] .card').waitFor();
    assert.ok(!(await page.locator('section.timeline').isVisible()));
    await page.locator('#tab-360-details').click();
    await page.locator('#loyalty').waitFor();
    await page.locator('#tab-360-timeline').click();
    await page.locator('section.timeline').waitFor();

    await context.setOffline(false);
    await waitForSynced(page);

    const other = await browser.newContext({ viewport: { width: 820, height: 1180 }, locale: 'tr-TR' });
    const tablet = await openApp(other, server.url, '/accounts');
    await tablet.locator('.card-title', { hasText: 'Kuzey Lojistik' }).click();
    const entry = tablet.locator('section.timeline li[data-kind="call"]');
    await entry.waitFor();
    assert.match(await entry.textContent(), /Giden.*Görüşüldü.*4:30/);
    await other.close();
    await context.close();
  });

  test('a case shows its SLA warning and then the breach as the (fake) clock runs', async () => {
    const context = await phone(browser);
    // Monday 23 November 2026, 09:00 in Istanbul: working time.
    await context.clock.setFixedTime(new Date('2026-11-23T09:00:00+03:00'));
    const page = await openApp(context, server.url, '/cases');
    await page.locator('#new-record').click();
    await page.locator('#case-subject').fill('Kırık ambalaj');
    await page.locator('#case-category').selectOption('complaint');
    await page.locator('#case-channel').selectOption('phone');
    await page.locator('#case-priority').selectOption('urgent');
    await save(page, 'case', 'Kırık ambalaj');
    const casePath = new URL(page.url()).pathname;
    await page.locator('tr[data-clock="first_response"][data-state="running"]').waitFor();
    assert.equal(await page.locator('#sla-warning').count(), 0);

    const reopen = async () => {
      await goToArea(page, 'Talepler');
      await page.locator('.card-title', { hasText: 'Kırık ambalaj' }).click();
      await page.waitForURL((url) => url.pathname === casePath);
    };

    // 50 of the 60 working minutes for a first response are gone: a warning.
    await context.clock.setFixedTime(new Date('2026-11-23T09:50:00+03:00'));
    await reopen();
    await page.locator('tr[data-clock="first_response"][data-state="warning"]').waitFor();
    await page.locator('#sla-near').waitFor();

    // 10:30: breached and escalated; "my day" lists it first, marked.
    await context.clock.setFixedTime(new Date('2026-11-23T10:30:00+03:00'));
    await reopen();
    await page.locator('#sla-warning').waitFor();
    await page.locator('#escalated').waitFor();
    assert.match(await page.locator('#sla-warning').textContent(), /SLA süresi aşıldı/);
    await goToArea(page, 'Bugün');
    await page.locator('li.card[data-sla="breached"]', { hasText: 'Kırık ambalaj' }).waitFor();

    // The agent answers: the first-response clock stops (breached stays recorded).
    await page.goto(server.url + casePath + '/edit');
    await page.locator('#case-status').selectOption('open');
    await save(page, 'case', 'Kırık ambalaj');
    await page.locator('tr[data-clock="first_response"][data-state="breached"]').waitFor();
    await page.locator('tr[data-clock="resolution"][data-state="running"]').waitFor();
    await context.close();
  });

  test('a task reminds before it is due and leaves "my day" when done', async () => {
    const context = await phone(browser);
    await context.clock.setFixedTime(new Date('2026-11-24T09:00:00+03:00'));
    const page = await openApp(context, server.url, '/tasks/new');
    await page.locator('#task-subject').fill('Teklif için Kuzey Lojistik\'i ara');
    await page.locator('#task-due').fill('2026-11-24T09:30');
    await page.locator('#task-remind').selectOption('15');
    await save(page, 'task', 'Kuzey Lojistik');
    assert.equal(await page.locator('.toast').count(), 0, 'not yet');

    // 09:20: the reminder shows, once; "my day" lists the task.
    await context.clock.setFixedTime(new Date('2026-11-24T09:20:00+03:00'));
    await page.reload();
    await page.locator('.toast', { hasText: 'Kuzey Lojistik' }).waitFor();
    await goToArea(page, 'Bugün');
    const row = page.locator('#my-tasks li.task', { hasText: 'Kuzey Lojistik' });
    await row.waitFor();
    await row.locator('input[type="checkbox"]').click();
    await page.locator('#my-tasks li.task', { hasText: 'Kuzey Lojistik' }).waitFor({ state: 'detached' });
    // Ticked by mistake: the toast takes it back.
    await page.locator('.undo-toast', { hasText: 'Görev tamamlandı.' }).waitFor();
    await page.locator('#toast-undo').click();
    await row.waitFor();
    assert.equal(await row.locator('input[type="checkbox"]').isChecked(), false, 'open again');
    await row.locator('input[type="checkbox"]').click();
    await page.locator('#my-tasks li.task', { hasText: 'Kuzey Lojistik' }).waitFor({ state: 'detached' });
    await page.reload();
    assert.equal(await page.locator('.toast').count(), 0, 'a reminder shows once per device');
    await context.close();
  });

  test('a department meeting reaches calendar apps through a revocable iCalendar feed', async () => {
    const context = await phone(browser);
    const page = await openApp(context, server.url, '/calendar');
    await page.locator('#calendar-choice').selectOption('dept:sales');
    await page.locator('#new-meeting').click();
    await page.locator('#meeting-subject').waitFor();
    assert.equal(await page.locator('#meeting-calendar').inputValue(), 'dept:sales');
    await page.locator('#meeting-subject').fill('Haftalık satış toplantısı');
    await page.locator('#meeting-start').fill('2026-12-07T10:00');
    // An impossible end: a clear message, and what was typed stays.
    await page.locator('#meeting-end').fill('2026-12-07T09:00');
    await page.getByRole('button', { name: /^(Kaydet|Save)$/ }).click();
    await page.locator('#meeting-end-error', { hasText: 'Bitiş, başlangıçtan sonra olmalı.' }).waitFor();
    assert.equal(await page.locator('#meeting-subject').inputValue(), 'Haftalık satış toplantısı');
    await page.locator('#meeting-end').fill('2026-12-07T11:00');
    await page.locator('#meeting-location').fill('Kadıköy şubesi, İstanbul');
    // Plain choices; the rule is typed only for "custom", and read back in words.
    assert.equal(await page.locator('#meeting-recurrence').isVisible(), false);
    await page.locator('#meeting-recurrence-preset').selectOption('custom');
    await page.locator('#meeting-recurrence').fill('FREQ=WEEKLY;BYDAY=MO;COUNT=10');
    await page.locator('[data-recurrence-text]', { hasText: 'Her hafta · Pazartesi · 10 kez' }).waitFor();
    await page.locator('#meeting-agenda').fill('Huni, teklifler; yeni kampanya');
    await save(page, 'meeting', 'Haftalık satış toplantısı');
    assert.equal(await page.locator('dd[data-field="recurrence"]').textContent(), 'Her hafta · Pazartesi · 10 kez');
    await waitForSynced(page);

    // The week view of the sales calendar shows the second occurrence.
    await page.goto(server.url + '/calendar?calendar=dept:sales&view=week&date=2026-12-14');
    await page.locator('section.day[data-date="2026-12-14"] li.occurrence', { hasText: 'Haftalık satış toplantısı' }).waitFor();

    await page.locator('#subscribe').click();
    const url = await page.locator('#feed-url').inputValue();
    assert.match(url, /\/calendar\/[0-9a-f]{64}\.ics$/);

    // A calendar app fetches the feed without any cookie.
    const response = await fetch(url);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type'), /^text\/calendar/);
    const text = await response.text();
    const calendar = new ICAL.Component(ICAL.parse(text));
    assert.equal(calendar.getFirstPropertyValue('version'), '2.0');
    const vtimezone = calendar.getFirstSubcomponent('vtimezone');
    assert.equal(vtimezone.getFirstPropertyValue('tzid'), 'Europe/Istanbul');
    ICAL.TimezoneService.register(vtimezone);
    const vevent = calendar.getFirstSubcomponent('vevent');
    const event = new ICAL.Event(vevent);
    assert.equal(event.summary, 'Haftalık satış toplantısı');
    assert.equal(event.location, 'Kadıköy şubesi, İstanbul');
    assert.equal(event.description, 'Huni, teklifler; yeni kampanya');
    assert.match(event.uid, /@saha$/);
    assert.equal(vevent.getFirstPropertyValue('sequence'), 0);
    assert.equal(event.startDate.zone.tzid, 'Europe/Istanbul');
    assert.equal(event.startDate.toJSDate().toISOString(), '2026-12-07T07:00:00.000Z');
    assert.equal(event.endDate.toJSDate().toISOString(), '2026-12-07T08:00:00.000Z');
    const iterator = event.iterator();
    const starts = [];
    for (let next = iterator.next(); next; next = iterator.next()) {
      starts.push(next.toJSDate().toISOString());
    }
    assert.equal(starts.length, 10);
    assert.equal(starts[1], '2026-12-14T07:00:00.000Z');
    assert.equal(starts[9], '2027-02-08T07:00:00.000Z');

    // Moving the meeting raises its SEQUENCE, so subscribers update it.
    await page.goto(server.url + '/meetings');
    await page.locator('.card-title', { hasText: 'Haftalık satış toplantısı' }).click();
    await page.locator('#edit-record').click();
    await page.locator('#meeting-start').fill('2026-12-07T10:30');
    await page.locator('#meeting-end').fill('2026-12-07T11:30');
    await save(page, 'meeting', 'Haftalık satış toplantısı');
    await waitForSynced(page);
    const moved = new ICAL.Component(ICAL.parse(await (await fetch(url)).text())).getFirstSubcomponent('vevent');
    assert.equal(moved.getFirstPropertyValue('sequence'), 1);
    assert.equal(new ICAL.Event(moved).startDate.toJSDate().toISOString(), '2026-12-07T07:30:00.000Z');

    // Revoked: the address stops working at once.
    await page.goto(server.url + '/calendar?calendar=dept:sales');
    await page.locator('ul.feeds li button').click();
    await page.locator('ul.feeds li').waitFor({ state: 'detached' });
    assert.equal((await fetch(url)).status, 404);
    await context.close();
  });
});
