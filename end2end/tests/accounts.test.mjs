// End-to-end: accounts created, edited, merged and reopened offline in a real browser.
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

describe('accounts', () => {
  test('an account created on a phone is still there after a reload', async () => {
    const context = await phone(browser);
    const page = await openApp(context, server.url);
    assert.equal(await page.locator('h1').textContent(), 'Müşteriler');
    await createAccount(page, { name: 'Anadolu Gıda A.Ş.', phone: '0532 123 45 67', city: 'İzmir', type: 'current' });
    assert.equal(await page.locator('[data-field="phone"] a.tel').textContent(), '0532 123 45 67');
    assert.equal(await page.locator('[data-field="phone"] a.sms').getAttribute('href'), 'sms:+905321234567');
    await page.reload();
    await page.locator('article.detail h1', { hasText: 'Anadolu Gıda A.Ş.' }).waitFor();
    assert.equal(await page.locator('[data-field="city"]').textContent(), 'İzmir');
    await page.goto(`${server.url}/accounts`);
    await page.locator('.card-title', { hasText: 'Anadolu Gıda A.Ş.' }).waitFor();
    // Turkish-aware search: no dotted capital needed, no Turkish letters needed.
    await page.locator('#account-search').fill('GIDA izmir');
    await page.locator('.card-title', { hasText: 'Anadolu Gıda A.Ş.' }).waitFor();
    await page.locator('#account-search').fill('ankara');
    await page.getByText('Aramanızla eşleşen kayıt yok.').waitFor();
    // Ctrl+K (Cmd+K on a Mac) opens the search over every kind of record.
    await page.locator('h1').click();
    await page.keyboard.press('Control+K');
    await page.locator('#global-search').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'global-search');
    await page.locator('#global-search').fill('anadolu gida');
    await page.locator('#search-results .card-title', { hasText: 'Anadolu Gıda A.Ş.' }).waitFor();
    // Results say what they are; a phone number is found however it is spaced.
    assert.equal(await page.locator('#search-results .card .kind-label').first().textContent(), 'Müşteri');
    await page.locator('#global-search').fill('0532 123 45');
    await page.locator('#search-results .card-title', { hasText: 'Anadolu Gıda A.Ş.' }).waitFor();
    await page.locator('#global-search').fill('532-123');
    await page.locator('#search-results .card-title', { hasText: 'Anadolu Gıda A.Ş.' }).waitFor();
    await context.close();
  });

  test('an offline edit of the phone and an online edit of the city both survive', async () => {
    const contextA = await phone(browser);
    const contextB = await phone(browser);
    const a = await openApp(contextA, server.url);
    await createAccount(a, { name: 'Deniz Nakliyat', phone: '0212 000 00 00', city: 'Mersin' });
    await waitForSynced(a);
    const detailUrl = a.url();

    const b = await openApp(contextB, server.url, new URL(detailUrl).pathname);
    await b.locator('article.detail h1', { hasText: 'Deniz Nakliyat' }).waitFor();

    // The edit form's code is a lazily loaded part: offline, only the service worker
    // has it, once it has stored every part (the fresh-clone run of a2ad66c went
    // offline before that and timed out waiting for the form).
    await waitForOfflineReady(a);
    await contextA.setOffline(true);
    await a.locator('output.sync[data-sync="offline"]').waitFor();
    await a.getByRole('link', { name: 'Düzenle' }).click();
    await fillAccount(a, { phone: '0533 999 88 77' });
    await a.locator('[data-field="phone"]', { hasText: '0533 999 88 77' }).waitFor();
    assert.equal(await a.locator('output.sync').getAttribute('data-pending'), '1');

    await b.getByRole('link', { name: 'Düzenle' }).click();
    await fillAccount(b, { city: 'Adana' });
    await b.locator('[data-field="city"]', { hasText: 'Adana' }).waitFor();
    await waitForSynced(b);

    await contextA.setOffline(false);
    await waitForSynced(a);
    for (const page of [a, b]) {
      await page.locator('[data-field="phone"]', { hasText: '0533 999 88 77' }).waitFor();
      await page.locator('[data-field="city"]', { hasText: 'Adana' }).waitFor();
    }
    await contextA.close();
    await contextB.close();
  });

  test('with the network off, a reload still opens the app with its data', async () => {
    const context = await phone(browser);
    const page = await openApp(context, server.url);
    await waitForOfflineReady(page);
    await createAccount(page, { name: 'Çevrimdışı Kırtasiye', city: 'Eskişehir' });
    const detail = page.url();
    await context.setOffline(true);
    await page.reload();
    await page.locator('article.detail h1', { hasText: 'Çevrimdışı Kırtasiye' }).waitFor();
    await page.locator('output.sync[data-sync="offline"]').waitFor();
    // Other routes open offline too, and new records can be made.
    await page.goto(`${server.url}/accounts`);
    await page.locator('.card-title', { hasText: 'Çevrimdışı Kırtasiye' }).waitFor();
    await createAccount(page, { name: 'Yolda Eklenen Ltd.' });
    await page.goto(detail);
    await page.locator('article.detail h1', { hasText: 'Çevrimdışı Kırtasiye' }).waitFor();
    // Pages whose code is a lazily loaded part of the module open offline as well: the
    // service worker stored every part when it installed, before any was opened.
    await page.goto(`${server.url}/reports/profit`);
    await page.locator('h1', { hasText: 'Kârlılık' }).waitFor();
    await page.goto(`${server.url}/settings/company`);
    await page.locator('#company-form').waitFor();
    assert.equal(await page.locator('[role="alert"]', { hasText: 'Bu sayfa açılamadı' }).count(), 0);
    await context.setOffline(false);
    await waitForSynced(page);
    await context.close();
  });

  test('the main module holds the everyday screens; a report loads its own part on first use', async () => {
    const context = await phone(browser);
    const page = await openApp(context, server.url, '/accounts');
    await page.locator('h1', { hasText: 'Müşteriler' }).waitFor();
    // What the page itself fetched (served by the network or the service worker).
    const modules = () => page.evaluate(() => performance.getEntriesByType('resource')
      .map((entry) => new URL(entry.name).pathname)
      .filter((path) => path.startsWith('/pkg/') && path.endsWith('.wasm')));
    assert.deepEqual(await modules(), ['/pkg/saha_bg.wasm'], 'only the main module loads for a list');
    await page.locator('a[href="/menu"]').first().click();
    await page.locator('main a[href="/reports/profit"]').click();
    await page.locator('h1', { hasText: 'Kârlılık' }).waitFor();
    const loaded = await modules();
    assert.ok(
      loaded.some((path) => path.includes('split_page_profit_report')),
      `the profitability page's part was fetched when it was opened: ${loaded.join(', ')}`,
    );
    await context.close();
  });

  test('a page whose part cannot be fetched says so, and the app goes on working', async () => {
    // No service worker, so the part's request reaches the network, where it fails.
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 }, locale: 'tr-TR', isMobile: true, hasTouch: true, serviceWorkers: 'block',
    });
    await context.route(/\/pkg\/split_page_demand_report\.[0-9a-f]+\.wasm$/, (route) => route.abort('internetdisconnected'));
    const page = await openApp(context, server.url, '/accounts');
    await page.locator('h1', { hasText: 'Müşteriler' }).waitFor();
    await page.locator('a[href="/menu"]').first().click();
    await page.locator('main a[href="/reports/demand"]').click();
    await page.locator('[role="alert"]', { hasText: 'Bu sayfa açılamadı' }).waitFor();
    // The rest of the app is untouched: back to the list, and a record can be made.
    await page.locator('main a[href="/today"]').click();
    await page.goto(`${server.url}/accounts`);
    await createAccount(page, { name: 'Parçasız Ticaret' });
    await page.locator('article.detail h1', { hasText: 'Parçasız Ticaret' }).waitFor();
    // Once the part can be fetched, trying again opens the page.
    await context.unroute(/\/pkg\/split_page_demand_report\.[0-9a-f]+\.wasm$/);
    await page.goto(`${server.url}/reports/demand`);
    await page.locator('h1', { hasText: 'Talep' }).waitFor();
    await context.close();
  });

  test('an invalid email and phone get clear messages and keep what was typed', async () => {
    const context = await phone(browser);
    const page = await openApp(context, server.url, '/accounts/new');
    await page.locator('#account-name').waitFor();
    await fillAccount(page, { name: 'Hatalı Giriş', phone: '12345', email: 'ali@', notes: 'Uzun bir not' });
    await page.getByText('Geçerli bir e-posta adresi girin').waitFor();
    await page.getByText('Geçerli bir telefon numarası girin').waitFor();
    assert.equal(await page.locator('#account-email').inputValue(), 'ali@');
    assert.equal(await page.locator('#account-phone').inputValue(), '12345');
    assert.equal(await page.locator('#account-notes').inputValue(), 'Uzun bir not');
    assert.equal(await page.locator('#account-email').getAttribute('aria-invalid'), 'true');
    await fillAccount(page, { email: 'ali@ornek.com.tr', phone: '0532 111 11 11' });
    await page.locator('article.detail h1', { hasText: 'Hatalı Giriş' }).waitFor();
    await context.close();
  });

  test('a browser that prefers English gets English', async () => {
    const context = await phone(browser, 'en-US');
    const page = await openApp(context, server.url);
    assert.equal(await page.locator('h1').textContent(), 'Accounts');
    await page.getByRole('link', { name: 'New account' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    await context.close();
  });

  test('an archived account leaves the list and search, can be shown, and is restored', async () => {
    const context = await phone(browser);
    const page = await openApp(context, server.url);
    await createAccount(page, { name: 'Eski Bayi Ltd.', city: 'Sivas' });
    const detail = page.url();
    await page.locator('#archive-record').click();
    await page.locator('#archived-note').waitFor();
    // Reversible, so no question first: a toast offers it back.
    await page.locator('.undo-toast', { hasText: 'Kayıt arşivlendi.' }).waitFor();
    await page.locator('#toast-undo').click();
    await page.locator('#archived-note').waitFor({ state: 'detached' });
    await page.locator('#archive-record').click();
    await page.locator('#archived-note').waitFor();
    await waitForSynced(page);

    await page.goto(`${server.url}/accounts`);
    await page.locator('.card').first().waitFor();
    assert.equal(await page.locator('.card-title', { hasText: 'Eski Bayi Ltd.' }).count(), 0, 'not in the list');
    await page.locator('.list-options summary').click();
    await page.locator('#show-archived').check();
    await page.locator('.card-title', { hasText: 'Eski Bayi Ltd.' }).waitFor();
    await page.goto(`${server.url}/search?q=eski%20bayi`);
    await page.locator('#global-search').waitFor();
    await page.waitForTimeout(300);
    assert.equal(await page.locator('#search-results .card').count(), 0, 'not found by search');

    // Another device sees it archived, and restores it.
    const other = await phone(browser);
    const tablet = await openApp(other, server.url, new URL(detail).pathname);
    await tablet.locator('#archived-note').waitFor();
    await tablet.locator('#restore-record').click();
    await tablet.locator('#archived-note').waitFor({ state: 'detached' });
    await waitForSynced(tablet);
    await page.goto(`${server.url}/accounts`);
    await page.locator('.card-title', { hasText: 'Eski Bayi Ltd.' }).waitFor();
    await other.close();
    await context.close();
  });
  test('an owner deletes an account for everyone, undoes it, and restores it from the bin', async () => {
    const context = await phone(browser);
    const page = await openApp(context, server.url);
    await createAccount(page, { name: 'Kapanan Şube A.Ş.', city: 'Tokat' });
    const detail = new URL(page.url()).pathname;
    await waitForSynced(page);
    // Another device holds it too.
    const other = await phone(browser);
    const tablet = await openApp(other, server.url, detail);
    await tablet.locator('article.detail h1', { hasText: 'Kapanan Şube A.Ş.' }).waitFor();

    // Deleting is asked first; then the list, and a toast that offers it back.
    await page.locator('#delete-record').click();
    await page.locator('[role="alertdialog"]', { hasText: 'herkes için silinsin mi' }).waitFor();
    await page.locator('#delete-record-confirm').click();
    await page.waitForURL(`${server.url}/accounts`);
    await page.locator('.undo-toast', { hasText: 'Silindi.' }).waitFor();
    await page.locator('#toast-undo').click();
    await page.locator('.card-title', { hasText: 'Kapanan Şube A.Ş.' }).waitFor();
    await page.goto(server.url + detail);
    await page.locator('#delete-record').click();
    await page.locator('#delete-record-confirm').click();
    await page.waitForURL(`${server.url}/accounts`);
    await waitForSynced(page);

    // Gone for everyone: the other device's page, its list and its search.
    await tablet.locator('article.detail').waitFor({ state: 'detached' });
    await tablet.goto(`${server.url}/search?q=kapanan`);
    await tablet.locator('#global-search').waitFor();
    await tablet.waitForTimeout(300);
    assert.equal(await tablet.locator('#search-results .card').count(), 0, 'not found by search');
    await tablet.goto(`${server.url}/accounts`);
    await tablet.locator('.list-options summary').click();
    await tablet.locator('#show-archived').check();
    await tablet.locator('.card').first().waitFor();
    assert.equal(await tablet.locator('.card-title', { hasText: 'Kapanan Şube' }).count(), 0, 'not even among archived');

    // The bin (Settings) lists it; restoring brings it back everywhere.
    await page.goto(`${server.url}/settings`);
    await page.locator('#bin-link').click();
    const entry = page.locator('#bin li.bin-entry', { hasText: 'Kapanan Şube A.Ş.' });
    await entry.locator('button.restore').click();
    await entry.waitFor({ state: 'detached' });
    await waitForSynced(page);
    await tablet.locator('.card-title', { hasText: 'Kapanan Şube A.Ş.' }).waitFor();
    await other.close();
    await context.close();
  });
});
