// End-to-end: engagement — a consent recorded offline on a contact syncs to a colleague,
// an individual's first record cannot be a refusal, the İYS page exports the events in
// İYS's field names; a segment and an SMS campaign preview who is reached and who is
// not, and why; a birthday greeting is sent by the server's outbox; a resolved case's
// satisfaction survey is answered through its personal link and the answer syncs back.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { goToArea, launch, openApp, phone, setUp, startServer, waitForOfflineReady, waitForSynced } from './helpers.mjs';

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

describe('consent', () => {
  test('consent offline → İYS export → campaign preview → greeting sent → survey answered', async () => {
    const context = await phone(browser);
    // Noon on a working day in Istanbul: outside the quiet hours.
    await context.clock.setFixedTime(new Date('2026-11-24T12:00:00+03:00'));
    const page = await openApp(context, server.url, '/contacts');
    await waitForOfflineReady(page);
    await page.locator('#new-record').click();
    await page.locator('#contact-name').fill('Zeynep Aksoy');
    await page.locator('#contact-mobile').fill('0533 765 43 21');
    await page.locator('#contact-email').fill('zeynep@example.com');
    await page.locator('#contact-birthday').fill('1990-11-26');
    await page.getByRole('button', { name: /^(Kaydet|Save)$/ }).click();
    await page.locator('article.detail[data-kind="contact"] h1', { hasText: 'Zeynep Aksoy' }).waitFor();
    await waitForSynced(page);
    const contactPath = new URL(page.url()).pathname;

    await context.setOffline(true);
    await page.locator('output.sync[data-sync="offline"]').waitFor();
    assert.equal(await page.locator('tr[data-channel="MESAJ"]').getAttribute('data-consent'), 'none');

    // An e-mail refusal with no consent before it: refused, with the reason.
    await page.locator('#record-consent').click();
    await page.locator('#consent-channel').selectOption('EPOSTA');
    assert.equal(await page.locator('#consent-recipient').inputValue(), 'zeynep@example.com');
    await page.locator('#consent-status').selectOption('RET');
    await page.locator('#save-consent').click();
    await page.locator('#consent-status-error', { hasText: 'ilk kaydı ret olamaz' }).waitFor();

    // SMS consent given in the shop, signed on paper.
    await page.locator('#consent-channel').selectOption('MESAJ');
    await page.locator('#consent-status').selectOption('ONAY');
    assert.equal(await page.locator('#consent-recipient').inputValue(), '+905337654321');
    await page.locator('#consent-source').selectOption('HS_ISLAK_IMZA');
    await page.locator('#consent-evidence').fill('Form 2026/118');
    await page.locator('#save-consent').click();
    await page.locator('tr[data-channel="MESAJ"][data-consent="ONAY"]').waitFor();

    await context.setOffline(false);
    await waitForSynced(page);

    // A colleague sees it.
    const other = await browser.newContext({ viewport: { width: 820, height: 1180 }, locale: 'tr-TR' });
    const tablet = await openApp(other, server.url, contactPath);
    await tablet.locator('tr[data-channel="MESAJ"][data-consent="ONAY"]').waitFor();
    assert.equal(await tablet.locator('tr[data-channel="EPOSTA"]').getAttribute('data-consent'), 'none');
    await other.close();

    // The İYS page exports it with İYS's field names, then marks it uploaded.
    await goToArea(page, 'İYS izinleri');
    await page.locator('#pending-consents li', { hasText: 'Zeynep Aksoy' }).waitFor();
    const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('#export-csv').click()]);
    const text = await readFile(await csv.path(), 'utf8');
    const lines = text.trim().split('\r\n');
    assert.equal(lines[0], 'recipientType,type,source,recipient,status,consentDate');
    assert.match(lines[1], /^BIREYSEL,MESAJ,HS_ISLAK_IMZA,\+905337654321,ONAY,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const [json] = await Promise.all([page.waitForEvent('download'), page.locator('#export-json').click()]);
    const rows = JSON.parse(await readFile(await json.path(), 'utf8'));
    assert.deepEqual(Object.keys(rows[0]).sort(), ['consentDate', 'recipient', 'recipientType', 'source', 'status', 'type']);
    await page.locator('#mark-uploaded').click();
    await page.locator('#mark-uploaded-confirm').click();
    await page.locator('#nothing-to-upload').waitFor();

    // Someone without consent, then a segment of everyone and an SMS campaign to it.
    await page.goto(server.url + '/contacts/new');
    await page.locator('#contact-name').fill('Burak Şen');
    await page.locator('#contact-mobile').fill('0544 111 22 33');
    await page.getByRole('button', { name: /^(Kaydet|Save)$/ }).click();
    await page.locator('article.detail[data-kind="contact"] h1', { hasText: 'Burak Şen' }).waitFor();
    await goToArea(page, 'Segmentler');
    await page.locator('#new-record').click();
    await page.locator('#segment-name').fill('Herkes');
    await page.getByRole('button', { name: /^(Kaydet|Save)$/ }).click();
    await page.locator('article.detail[data-kind="segment"] h1', { hasText: 'Herkes' }).waitFor();
    assert.equal(await page.locator('#segment-count').textContent(), '2');

    await goToArea(page, 'Kampanyalar');
    await page.locator('#new-record').click();
    await page.locator('#campaign-name').fill('Kış indirimi');
    await page.locator('#campaign-segment').fill('herkes');
    await page.locator('.picker-option', { hasText: 'Herkes' }).click();
    // An e-mail needs a subject and one of the workspace's İYS topics (a choice).
    await page.locator('#campaign-channel').selectOption('EPOSTA');
    const topics = await page.locator('#campaign-email_topic option').evaluateAll((os) => os.map((o) => o.value));
    assert.deepEqual(topics, ['', 'kampanya', 'bülten', 'anket', 'etkinlik']);
    await page.locator('#campaign-template').fill('Merhaba {{first_name}}');
    await page.getByRole('button', { name: /^(Kaydet|Save)$/ }).click();
    await page.locator('#campaign-subject-error', { hasText: 'zorunlu' }).waitFor();
    await page.locator('#campaign-email_topic-error', { hasText: 'zorunlu' }).waitFor();
    await page.locator('#campaign-channel').selectOption('MESAJ');
    // An unknown field is refused with the fields that exist; the text stays.
    await page.locator('#campaign-template').fill('Merhaba {{ad}}');
    await page.getByRole('button', { name: /^(Kaydet|Save)$/ }).click();
    await page.locator('#campaign-template-error', { hasText: '{{first_name}}' }).waitFor();
    // The fields are chips that insert themselves where the cursor is.
    await page.locator('#campaign-template').fill('Merhaba ');
    await page.locator('button.chip[data-insert="first_name"]', { hasText: 'Ad' }).click();
    assert.equal(await page.locator('#campaign-template').inputValue(), 'Merhaba {{first_name}}');
    await page.locator('#campaign-template').press('End');
    await page.locator('#campaign-template').pressSequentially(', kış indirimi başladı!');
    await page.getByRole('button', { name: /^(Kaydet|Save)$/ }).click();
    await page.locator('article.detail[data-kind="campaign"] h1', { hasText: 'Kış indirimi' }).waitFor();
    assert.equal(await page.locator('#audience-included').textContent(), '1');
    assert.equal(await page.locator('#audience-excluded').textContent(), '1');
    assert.equal(await page.locator('#sample-message').textContent(), 'Merhaba Zeynep, kış indirimi başladı!');
    // Counted as the SMS goes out, with the opt-out link the server adds (about 120
    // characters): ş and ı make it Unicode, 67 characters a part, three messages.
    const length = page.locator('#sms-length');
    assert.equal(await length.getAttribute('data-segments'), '3');
    const counted = await length.textContent();
    assert.match(counted, /^\d+ karakter · 3 SMS \(ret bağlantısıyla\) · Unicode/);
    const origin = new URL(server.url).origin;
    assert.equal(Number(counted.split(' ')[0]), 37 + '\nListeden cikmak icin: '.length + origin.length + '/unsubscribe/'.length + 64);
    await page.locator('#included li', { hasText: 'Zeynep Aksoy' }).waitFor();
    await page.locator('#excluded li[data-reason="no_consent"]', { hasText: 'Burak Şen' }).waitFor();

    // Zeynep's birthday is this week: a greeting goes through the same gate, and the
    // server (on the real clock, not the page's fake one) sends it.
    await page.goto(server.url + '/settings/service');
    await page.locator('#quiet-hours').fill('');
    // No rest period either: the survey below follows the greeting at once.
    await page.locator('#cool-off').fill('0');
    await page.locator('#service-settings button[type="submit"]').click();
    await page.locator('#service-settings .banner', { hasText: 'Kaydedildi' }).waitFor();
    await goToArea(page, 'Özel günler');
    const birthday = page.locator('#special-days li[data-occasion="birthday"]', { hasText: 'Zeynep Aksoy' });
    await birthday.waitFor();
    await birthday.locator('button[data-greet]').click();
    await page.locator('article.detail[data-kind="campaign"] h1', { hasText: 'Doğum günü: Zeynep Aksoy' }).waitFor();
    assert.match(await page.locator('#sample-message').textContent(), /^İyi ki doğdunuz Zeynep!/);
    assert.equal(await page.locator('#audience-included').textContent(), '1');
    page.once('dialog', (dialog) => dialog.accept());
    await page.locator('#send-campaign').click();
    await page.locator('#deliveries li[data-delivery="sent"]', { hasText: 'Zeynep Aksoy' }).waitFor({ timeout: 20_000 });
    // Members read the delivery's state, not the address it went to.
    assert.equal(await page.locator('#deliveries').textContent().then((t) => t.includes('+905337654321')), false);

    // A complaint of Zeynep's is resolved; a satisfaction survey goes to her, she
    // answers through her personal link, and the answer comes back to the app.
    await page.goto(server.url + '/cases/new');
    await page.locator('#case-subject').fill('Geç teslimat');
    await page.locator('#case-contact').fill('zeynep');
    await page.locator('.picker-option', { hasText: 'Zeynep Aksoy' }).click();
    await page.locator('#case-status').selectOption('resolved');
    await page.locator('#case-resolution').fill('Ürün ertesi gün teslim edildi.');
    await page.getByRole('button', { name: /^(Kaydet|Save)$/ }).click();
    await page.locator('article.detail[data-kind="case"] h1', { hasText: 'Geç teslimat' }).waitFor();
    await page.locator('#send-survey').click();
    await page.locator('article.detail[data-kind="campaign"] h1', { hasText: 'Anket: Geç teslimat' }).waitFor();
    assert.equal(await page.locator('#audience-included').textContent(), '1');
    page.once('dialog', (dialog) => dialog.accept());
    await page.locator('#send-campaign').click();
    await page.locator('#deliveries li[data-delivery="sent"]').waitFor({ timeout: 20_000 });
    const sms = (await readFile(join(server.dataDir, 'sms-outbox.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const survey = sms.find((m) => m.text.includes('/survey/'));
    assert.match(survey.text, /^Sayın Zeynep, /);
    const link = survey.text.match(/http\S+/)[0];
    const customer = await browser.newContext({ locale: 'tr-TR' });
    const answerPage = await customer.newPage();
    await answerPage.goto(link);
    await answerPage.locator('button[value="4"]').click();
    await answerPage.locator('h1', { hasText: 'Teşekkürler' }).waitFor();
    await customer.close();
    await page.locator('#responses li[data-score="4"]', { hasText: 'Zeynep Aksoy' }).waitFor({ timeout: 20_000 });
    // The answer counts in the service report's satisfaction and on the surveys page.
    await goToArea(page, 'Servis raporu');
    await page.locator('dd[data-figure="satisfaction"]', { hasText: '4,00 (1)' }).waitFor();
    // Its open cases by age download as a table, one row per age.
    const [file] = await Promise.all([page.waitForEvent('download'), page.locator('#ages-export-csv').click()]);
    const ages = (await readFile(await file.path(), 'utf8')).replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    assert.equal(ages[0], 'Yaş,Açık talepler');
    assert.equal(ages.length, 5, ages.join('\n'));
    assert.match(ages[1], /^1 günden az,\d+$/);
    await goToArea(page, 'Anketler');
    const card = page.locator('#survey-list li.survey', { hasText: 'Anket: Geç teslimat' });
    assert.equal(await card.locator('dd[data-figure="asked"]').textContent(), '1');
    assert.equal(await card.locator('dd[data-figure="answered"]').textContent(), '1');
    assert.equal(await card.locator('dd[data-figure="response_rate"]').textContent(), '%100');
    assert.equal(await card.locator('dd[data-figure="csat"]').textContent(), '4,00');
    assert.equal(await page.locator('.survey-total dd[data-figure="satisfied"]').textContent(), '%100');
    await context.close();
  });
});
