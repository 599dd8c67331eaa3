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
});
