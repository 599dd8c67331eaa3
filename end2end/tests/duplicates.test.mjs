// End-to-end: two duplicate accounts found and merged on one phone while a second phone,
// offline, edits the one merged away; once it reconnects, its edit is on the kept record
// and the old address opens the kept record.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createAccount, fillAccount, launch, openApp, phone, setUp, startServer, waitForOfflineReady, waitForSynced,
} from './helpers.mjs';

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

describe('duplicates', () => {
  test('merging while another phone edits the merged account offline loses nothing', async () => {
    const office = await phone(browser);
    const field = await phone(browser);
    const a = await openApp(office, server.url);
    await createAccount(a, { name: 'Karadeniz Balık A.Ş.', city: 'Trabzon', phone: '0462 111 22 33' });
    const keptPath = new URL(a.url()).pathname;
    await a.goto(`${server.url}/accounts`);
    // The form warns that the name is taken; saving again creates the second record
    // anyway, as a rep in a hurry would.
    await a.getByRole('link', { name: /Yeni müşteri/ }).click();
    await a.locator('#account-name').waitFor();
    await fillAccount(a, { name: 'KARADENİZ BALIK', city: 'Trabzon', notes: 'Eski kayıt.' });
    await a.getByText(/Bu kayıt zaten var olabilir: Karadeniz Balık A\.Ş\./).waitFor();
    await a.getByRole('button', { name: /Kaydet/ }).click();
    await a.locator('article.detail h1', { hasText: 'KARADENİZ BALIK' }).waitFor();
    const mergedPath = new URL(a.url()).pathname;
    await waitForSynced(a);

    // The second phone has the newer record open, then loses its connection and edits it.
    const b = await openApp(field, server.url, mergedPath);
    await b.locator('article.detail h1', { hasText: 'KARADENİZ BALIK' }).waitFor();
    await waitForOfflineReady(b);
    await field.setOffline(true);
    await b.locator('output.sync[data-sync="offline"]').waitFor();
    await b.getByRole('link', { name: 'Düzenle' }).click();
    await fillAccount(b, { email: 'satis@karadenizbalik.com.tr' });
    await b.locator('[data-field="email"]', { hasText: 'satis@karadenizbalik.com.tr' }).waitFor();

    // Meanwhile the office finds the pair and merges it, keeping the older record.
    await a.goto(`${server.url}/settings`);
    await a.locator('#duplicates-link').click();
    await a.locator('#dup-scan').click();
    const pair = a.locator('.dup-pair', { hasText: 'Karadeniz Balık A.Ş.' });
    await pair.waitFor();
    assert.match(await pair.textContent(), /aynı ad/);
    await pair.locator('.dup-compare').click();
    await a.locator('#merge-panel').waitFor();
    const keptId = keptPath.split('/').pop();
    const kept = a.locator('.merge-keep label', { hasText: 'Karadeniz Balık A.Ş.' }).locator('input');
    assert.equal(await kept.isChecked(), true, 'the older record is kept');
    // The names differ: the kept record's name stays unless chosen otherwise.
    await a.locator('.merge-field[data-field="name"]').waitFor();
    await a.locator('#dup-merge').click();
    await a.locator('#dup-done').waitFor();
    await waitForSynced(a);

    // The kept record has both records' notes; the old address leads to it.
    await a.goto(`${server.url}${keptPath}`);
    await a.locator('article.detail h1', { hasText: 'Karadeniz Balık A.Ş.' }).waitFor();
    await a.getByText('Eski kayıt.').waitFor();
    // The kept account's timeline shows the merge, the duplicate named and linked.
    const merged = a.locator('.timeline li', { hasText: 'şu kayıtla birleştirildi' });
    await merged.waitFor();
    assert.equal(await merged.locator('a').getAttribute('href'), mergedPath);
    await a.goto(`${server.url}${mergedPath}`);
    await a.waitForURL((url) => url.pathname === keptPath);

    // The second phone comes back: its offline edit reaches the kept record.
    await field.setOffline(false);
    await waitForSynced(b);
    await a.locator('[data-field="email"]', { hasText: 'satis@karadenizbalik.com.tr' }).waitFor({ timeout: 20_000 });
    await b.goto(`${server.url}${mergedPath}`);
    await b.waitForURL((url) => url.pathname.endsWith(keptId));
    await b.locator('[data-field="email"]', { hasText: 'satis@karadenizbalik.com.tr' }).waitFor({ timeout: 20_000 });
    // Nothing is left to merge.
    await a.goto(`${server.url}/settings/duplicates`);
    await a.locator('#dup-scan').click();
    await a.locator('#dup-none').waitFor();
    await office.close();
    await field.close();
  });

  test('a lead converted on a phone becomes the account and contact it already was, not a second copy', async () => {
    const context = await phone(browser);
    const page = await openApp(context, server.url);
    await createAccount(page, { name: 'Ege Zeytin A.Ş.', city: 'İzmir', email: 'info@egezeytin.com.tr' });
    const accountId = new URL(page.url()).pathname.split('/').pop();
    await page.goto(`${server.url}/contacts/new?account=${accountId}`);
    await page.locator('#contact-name').fill('Ayşe Yılmaz');
    await page.locator('#contact-email').fill('ayse@egezeytin.com.tr');
    await page.getByRole('button', { name: /^(Kaydet|Save)$/ }).click();
    await page.locator('article.detail[data-kind="contact"] h1', { hasText: 'Ayşe Yılmaz' }).waitFor();
    const contactPath = new URL(page.url()).pathname;
    const contactId = contactPath.split('/').pop();

    // The same person arrives again as a lead from a trade fair, typed differently.
    await page.goto(`${server.url}/leads/new`);
    await page.locator('#lead-name').fill('AYŞE YILMAZ');
    await page.locator('#lead-company').fill('Ege Zeytin');
    await page.locator('#lead-email').fill('ayse@egezeytin.com.tr');
    await page.locator('#lead-phone').fill('0532 444 55 66');
    await page.locator('#lead-topic').fill('Zeytinyağı tedariki');
    await page.getByRole('button', { name: /^(Kaydet|Save)$/ }).click();
    await page.locator('article.detail[data-kind="lead"]').waitFor();

    // Converting offers the existing account and contact, chosen already: strong matches.
    await page.locator('#convert-lead').click();
    const account = page.locator(`#convert-account label[data-choice="${accountId}"]`);
    await account.locator('input:checked').waitFor();
    assert.match(await account.textContent(), /Ege Zeytin A\.Ş\..*aynı ad/);
    const contact = page.locator(`#convert-contact label[data-choice="${contactId}"]`);
    await contact.locator('input:checked').waitFor();
    assert.match(await contact.textContent(), /aynı e-posta/);
    await page.locator('#convert-confirm').click();
    await page.locator('article.detail[data-kind="opportunity"] h1', { hasText: 'Zeytinyağı tedariki' }).waitFor();

    // No second account or contact; the existing contact gained the phone it lacked.
    await page.goto(`${server.url}/accounts`);
    await page.locator('li.card', { hasText: 'Ege Zeytin' }).first().waitFor();
    assert.equal(await page.locator('li.card', { hasText: 'Ege Zeytin' }).count(), 1);
    await page.goto(`${server.url}/contacts`);
    await page.locator('li.card', { hasText: /Ayşe Yılmaz/i }).first().waitFor();
    assert.equal(await page.locator('li.card', { hasText: /Ayşe Yılmaz/i }).count(), 1);
    await page.goto(server.url + contactPath);
    await page.locator('[data-field="phone"]', { hasText: '444 55 66' }).waitFor();
    await waitForSynced(page);
    await context.close();
  });
});
