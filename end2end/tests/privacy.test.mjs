// End-to-end: an access request (KVKK art. 11) answered from a phone. An admin opens a
// person's page, sees what refers to them, saves the data file and the readable
// report — offline too — and the audit log hears of each file. A privacy officer logs
// a person's erasure request, sees its deadline, and closes it with the answer given.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { launch, openApp, phone, setUp, startServer, waitForSynced } from './helpers.mjs';

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

describe('privacy', () => {
  test('what is held about a person: their record, the records about them, as JSON and a readable page', async () => {
    const context = await phone(browser);
    const page = await openApp(context, server.url, '/contacts/new');
    await waitForSynced(page);
    await page.locator('#contact-name').fill('Nermin İzci Q7');
    await page.locator('#contact-email').fill('nermin.q7@example.com');
    await page.getByRole('button', { name: /^(Kaydet|Save)$/ }).click();
    await page.locator('article.detail[data-kind="contact"] h1', { hasText: 'Nermin İzci Q7' }).waitFor();
    const person = new URL(page.url()).pathname.split('/').pop();
    // A complaint of hers, and someone else's that must stay out.
    for (const [subject, contact] of [['Kırık ambalaj Q7', 'nermin'], ['Başkasının derdi', null]]) {
      await page.goto(`${server.url}/cases/new`);
      await page.locator('#case-subject').fill(subject);
      if (contact) {
        await page.locator('#case-contact').fill(contact);
        await page.locator('.picker-option', { hasText: 'Nermin İzci Q7' }).click();
      }
      await page.getByRole('button', { name: /^(Kaydet|Save)$/ }).click();
      await page.locator('article.detail[data-kind="case"] h1', { hasText: subject }).waitFor();
    }
    await waitForSynced(page);

    await page.goto(`${server.url}/contacts/${person}`);
    await page.locator('#privacy-link').click();
    await page.locator('#privacy-access h1', { hasText: 'Nermin İzci Q7' }).waitFor();
    assert.match(await page.locator('#privacy-counts li[data-kind="case"]').textContent(), /: 1$/);
    await page.locator('#privacy-access li.card[data-kind="case"]', { hasText: 'Kırık ambalaj Q7' }).waitFor();
    assert.equal(await page.locator('#privacy-access li.card', { hasText: 'Başkasının derdi' }).count(), 0);

    // Saved offline: made on the device; the audit log hears of it when back online.
    await context.setOffline(true);
    const [json] = await Promise.all([page.waitForEvent('download'), page.locator('#privacy-json').click()]);
    const [html] = await Promise.all([page.waitForEvent('download'), page.locator('#privacy-report').click()]);
    await context.setOffline(false);
    assert.match(json.suggestedFilename(), new RegExp(`^kvkk-${person}-\\d{4}-\\d\\d-\\d\\d\\.json$`));
    const data = JSON.parse(await readFile(await json.path(), 'utf8'));
    assert.equal(data.person, person);
    assert.equal(data.name, 'Nermin İzci Q7');
    assert.deepEqual(data.records.map((r) => [r.kind, r.own]), [['contact', true], ['case', false]]);
    assert.ok(JSON.stringify(data.records[0].data).includes('nermin.q7@example.com'));
    assert.ok(JSON.stringify(data).includes('Kırık ambalaj Q7'));
    assert.ok(!JSON.stringify(data).includes('Başkasının derdi'));
    const report = await readFile(await html.path(), 'utf8');
    assert.match(report, /<html lang="tr">/);
    assert.match(report, /<h1>Tutulan kişisel veriler: Nermin İzci Q7<\/h1>/);
    assert.match(report, /<th>E-posta<\/th><td>nermin\.q7@example\.com<\/td>/);
    assert.match(report, /Kırık ambalaj Q7/);

    await waitForSynced(page);
    await page.waitForFunction(async (id) => {
      const log = await fetch('/api/audit').then((r) => r.json());
      return ['json', 'html'].every((format) => log.some((e) => e.action === 'privacy.disclosed' && e.target === id && e.detail.startsWith(`2 records as ${format}`)));
    }, person, { timeout: 30_000 });
    await context.close();
  });

  test('a privacy officer logs a request from the person\'s page, sees its deadline and closes it with the answer', async () => {
    // The owner invites a privacy officer and makes a contact for the person.
    const owner = await phone(browser);
    const ownerPage = await openApp(owner, server.url, '/settings/members');
    await ownerPage.locator('#invite-role').waitFor();
    await ownerPage.locator('#invite-role').selectOption('privacy');
    await ownerPage.getByRole('button', { name: 'Davet et' }).click();
    const link = (await ownerPage.locator('#invitation-link').textContent()).trim();
    const made = await owner.request.post(`${server.url}/api/v1/contacts`, { data: { fields: { name: 'Kemal Silinsin K2' } } });
    assert.equal(made.status(), 201, await made.text());
    const person = (await made.json()).id;
    await owner.close();

    const context = await phone(browser);
    const page = await context.newPage();
    await page.goto(link);
    await page.locator('#invite-name').fill('Derya Koruyan');
    await page.locator('#invite-email').fill('kvkk@anadolu.test');
    await page.locator('#invite-password').fill('gizlilik-parola-2026');
    await page.getByRole('button', { name: 'Daveti kabul et' }).click();
    await page.locator('#user-menu', { hasText: 'Derya Koruyan' }).waitFor();
    await waitForSynced(page);

    // A privacy officer reads the person's record (and every other) but changes none.
    await page.goto(`${server.url}/contacts/${person}`);
    await page.locator('article.detail[data-kind="contact"] h1', { hasText: 'Kemal Silinsin K2' }).waitFor();
    await page.locator('#privacy-link').click();
    await page.locator('#privacy-log-request').click();
    await page.locator('#privacy-request-form').waitFor();
    assert.equal(await page.locator('#request-person').inputValue(), 'Kemal Silinsin K2');
    await page.locator('#request-kind').selectOption('erasure');
    await page.locator('#request-channel').selectOption('kep');
    await page.locator('#request-contact').fill('kemal@hs01.kep.tr');
    // It arrived 26 days ago, counted in Turkey (UTC+3, where deadlines are kept):
    // four days are left.
    const received = new Date(Date.now() + 3 * 3_600_000 - 26 * 86_400_000).toISOString().slice(0, 10);
    await page.locator('#request-received').fill(received);
    await page.locator('#request-description').fill('Bütün kayıtlarımın silinmesini istiyorum.');
    await page.locator('#log-request').click();
    await page.locator('#privacy-request-logged').waitFor();
    const entry = page.locator('#privacy-request-list li.privacy-request', { hasText: 'Kemal Silinsin K2' });
    await entry.waitFor();
    assert.match(await entry.getAttribute('class'), /\bdue-soon\b/);
    assert.equal((await entry.locator('.deadline').textContent()).trim(), '4 gün kaldı');
    assert.match(await entry.locator('.entry-title').textContent(), /Silme veya yok etme/);
    assert.match(await entry.textContent(), /KEP/);

    // "My day" warns of it and leads to the log.
    await page.goto(`${server.url}/today`);
    const warning = page.locator('#privacy-deadlines');
    await warning.waitFor();
    assert.equal((await warning.textContent()).trim(), '1 KVKK başvurusunun süresi bir hafta içinde doluyor');
    await warning.locator('a').click();
    await page.waitForURL(`${server.url}/settings/privacy`);
    await entry.waitFor();

    // Closing needs the answer given; with it, the request is answered.
    await entry.locator('summary').click();
    await entry.locator('select[id^="request-status-"]').selectOption('answered');
    await entry.locator('.save-request').click();
    await entry.getByText('Başvuruyu kapatmadan önce verilen cevabı yazın.').waitFor();
    await entry.locator('textarea[id^="request-answer-"]').fill('Kayıtlarınız silindi; KEP ile bildirildi.');
    await entry.locator('input[id^="request-evidence-"]').fill('KEP 2026/204');
    await entry.locator('.save-request').click();
    const closed = page.locator('#privacy-request-list li.privacy-request.closed', { hasText: 'Kemal Silinsin K2' });
    await closed.waitFor();
    assert.match(await closed.locator('.request-status').textContent(), /Cevaplandı/);
    assert.equal(await closed.locator('.deadline').count(), 0);
    // Closed, it no longer warns.
    const listed = page.waitForResponse((r) => r.url().endsWith('/api/privacy/deadlines'));
    await page.goto(`${server.url}/today`);
    await listed;
    await page.locator('.my-day h1').waitFor();
    // (The answer is drawn within the frame after it arrives.)
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0))));
    assert.equal(await page.locator('#privacy-deadlines').count(), 0);

    // The settings page leads to the log; the audit log has both steps, without the name.
    await page.goto(`${server.url}/settings`);
    await page.locator('#privacy-requests-link').click();
    await page.locator('#privacy-request-list li.privacy-request.closed').waitFor();
    const audit = await page.evaluate(() => fetch('/api/audit').then((r) => r.status));
    assert.equal(audit, 403, 'a privacy officer does not read the whole audit log');
    await context.close();
  });
});
