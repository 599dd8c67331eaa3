// End-to-end: a whole sales process on a phone — lead → convert → opportunity dragged
// to "won" → quote with a catalog line → order → invoice issued and paid — with the
// network cut in the middle, then the account's 360° page on a second device.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
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

/** Submits the record form on the page and waits for the record's detail page. */
async function save(page, kind, title) {
  await page.getByRole('button', { name: /^(Kaydet|Save)$/ }).click();
  await page.locator(`article.detail[data-kind="${kind}"] h1`, { hasText: title }).waitFor();
}

/** Drags a pipeline card by its handle onto `target`, as a finger or mouse would. */
async function drag(page, handle, target) {
  const from = await handle.boundingBox();
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2, from.y + 60, { steps: 5 });
  const to = await target.boundingBox();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 10 });
  await page.mouse.up();
}

describe('sales', () => {
  test('lead to paid invoice on a phone, offline in the middle, then the 360° page elsewhere', async () => {
    const context = await phone(browser);
    const page = await openApp(context, server.url, '/products');
    await waitForOfflineReady(page);

    // The catalog: a product with a price and KDV rate.
    await page.locator('#new-record').click();
    await page.locator('#product-sku').fill('ZY-5L');
    await page.locator('#product-name').fill('Sızma zeytinyağı 5 L');
    await page.locator('#product-unit_price').fill('1.250,00');
    await page.locator('#product-vat').selectOption('20');
    await save(page, 'product', 'Sızma zeytinyağı 5 L');

    // A lead from a trade fair.
    await goToArea(page, 'Adaylar');
    await page.locator('#new-record').click();
    await page.locator('#lead-name').fill('Ayşe Yılmaz');
    await page.locator('#lead-company').fill('Ege Zeytin A.Ş.');
    await page.locator('#lead-phone').fill('0532 444 55 66');
    await page.locator('#lead-email').fill('ayse@egezeytin.com.tr');
    await page.locator('#lead-estimated_amount').fill('5.400');
    await save(page, 'lead', 'Ayşe Yılmaz');
    await waitForSynced(page);

    // The network goes away: conversion, the pipeline and the quote all work offline.
    await context.setOffline(true);
    await page.locator('output.sync[data-sync="offline"]').waitFor();
    await page.locator('#convert-lead').click();
    await page.locator('article.detail[data-kind="opportunity"]').waitFor();
    assert.match(await page.locator('article.detail h1').textContent(), /Ege Zeytin/);
    assert.equal(await page.locator('dd[data-field="amount"]').textContent(), '5.400,00 ₺');
    // Offline with changes pending, the header still fits the phone.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'no sideways scrolling offline');
    const opportunityPath = new URL(page.url()).pathname;
    const opportunityId = opportunityPath.split('/').pop();

    await goToArea(page, 'Satış hunisi');
    const card = page.locator(`.deal[data-id="${opportunityId}"]`);
    await page.locator('.column[data-stage="prospecting"]').locator(card).waitFor();
    await drag(page, card.locator('.handle'), page.locator('.drop-target[data-stage="won"]'));
    await page.locator('.column[data-stage="won"]').locator(card).waitFor();
    // The forecast is of open deals; a won deal is shown apart, its ₺ sign whole.
    await page.locator('table.forecast tbody tr td[data-won]', { hasText: '5.400,00 ₺' }).waitFor();

    await card.locator('a').click();
    await page.locator('.badge', { hasText: 'Kazanıldı' }).waitFor();
    await page.locator('#new-quote').click();
    await page.locator('article.detail[data-kind="quote"]').waitFor();
    await page.locator('#add-product').selectOption({ label: 'ZY-5L · Sızma zeytinyağı 5 L' });
    const line = page.locator('table.lines tbody tr[data-line]');
    await line.waitFor();
    await line.getByRole('button', { name: 'Düzenle' }).click();
    await page.locator('#line-quantity').fill('4');
    await page.locator('#line-discount').fill('10');
    await page.locator('#save-line').click();
    // 4 × 1.250,00 − %10 = 4.500,00 net; KDV %20 = 900,00; total 5.400,00.
    await page.locator('[data-total="net"]', { hasText: '4.500,00 ₺' }).waitFor();
    assert.equal(await page.locator('[data-total="vat-20"]').textContent(), '900,00 ₺');
    assert.equal(await page.locator('[data-total="gross"]').textContent(), '5.400,00 ₺');
    assert.notEqual(await page.locator('output.sync').getAttribute('data-pending'), '0');

    // Back online: everything made offline reaches the server.
    await context.setOffline(false);
    await waitForSynced(page);

    await page.locator('#mark-sent').click();
    await page.locator('#mark-accepted').click();
    await page.locator('#create-order').click();
    await page.locator('article.detail[data-kind="order"]').waitFor();
    await page.locator('[data-total="gross"]', { hasText: '5.400,00 ₺' }).waitFor();
    await page.locator('#create-invoice').click();
    await page.locator('article.detail[data-kind="invoice"]').waitFor();
    await page.locator('#issue-invoice').click();
    // Issuing cannot be undone: the app asks first.
    await page.locator('[role="alertdialog"]', { hasText: 'Fatura kesilsin mi?' }).waitFor();
    await page.locator('#issue-invoice-confirm').click();
    // Numbers come from this device's block: SAH + year + nine digits, never reused.
    const year = new Date().getFullYear();
    const heading = page.locator('article.detail h1', { hasText: new RegExp(`SAH${year}\\d{9}`) });
    await heading.waitFor();
    const invoiceNumber = (await heading.textContent()).match(/SAH\d{13}/)[0];
    await page.locator('#mark-paid').click();
    await page.locator('.badge', { hasText: 'Ödendi' }).waitFor();
    await waitForSynced(page);

    // Another device (a colleague's tablet) opens the account's 360° page.
    const other = await browser.newContext({ viewport: { width: 820, height: 1180 }, locale: 'tr-TR', hasTouch: true });
    const tablet = await openApp(other, server.url, '/accounts');
    await tablet.locator('.card-title', { hasText: 'Ege Zeytin A.Ş.' }).click();
    await tablet.locator('article.detail[data-kind="account"] h1', { hasText: 'Ege Zeytin A.Ş.' }).waitFor();
    for (const [kind, title] of [
      ['contact', 'Ayşe Yılmaz'],
      ['opportunity', 'Ege Zeytin'],
      ['quote', ''],
      ['order', ''],
      ['invoice', invoiceNumber],
      ['lead', 'Ayşe Yılmaz'],
    ]) {
      await tablet.locator(`section.related[data-related="${kind}"] .card`, { hasText: title }).first().waitFor();
    }
    // The timeline lists every step, newest first, with who did it.
    const timeline = tablet.locator('section.timeline li');
    await timeline.filter({ hasText: 'Fatura' }).first().waitFor();
    const kinds = await timeline.evaluateAll((items) => items.map((li) => li.dataset.kind));
    for (const kind of ['lead', 'account', 'contact', 'opportunity', 'quote', 'order', 'invoice']) {
      assert.ok(kinds.includes(kind), `timeline has a ${kind} entry: ${kinds}`);
    }
    await timeline.filter({ hasText: 'Kazanıldı' }).first().waitFor();
    // Paying the 5.400 ₺ invoice earned loyalty points (1 per 100 ₺); redeem some.
    assert.equal(await tablet.locator('#loyalty-points').textContent(), '54');
    assert.equal(await tablet.locator('#loyalty-tier').textContent(), 'Bronz');
    await tablet.locator('#redeem-points').fill('80');
    await tablet.locator('#redeem').click();
    await tablet.locator('#redeem-error', { hasText: '1 ile 54 arasında' }).waitFor();
    await tablet.locator('#redeem-points').fill('20');
    await tablet.locator('#redeem-note').fill('Hediye çeki');
    await tablet.locator('#redeem').click();
    // Redeeming cannot be undone: the app asks first.
    await tablet.locator('[role="alertdialog"]', { hasText: '20 puan kullanılsın mı?' }).waitFor();
    await tablet.locator('#redeem-confirm').click();
    await tablet.locator('#loyalty-points', { hasText: '34' }).waitFor();
    await other.close();
    await context.close();
  });

  test('global search finds any kind of record, Turkish-aware, from Ctrl+K', async () => {
    const context = await phone(browser);
    const page = await openApp(context, server.url, '/leads');
    await page.locator('#new-record').click();
    await page.locator('#lead-name').fill('İsmail Şahin');
    await page.locator('#lead-company').fill('Isparta Gül Şikayet Hattı');
    await save(page, 'lead', 'İsmail Şahin');
    await page.locator('h1').click();
    await page.keyboard.press('Control+K');
    await page.locator('#global-search').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'global-search');
    for (const query of ['ismail sahin', 'ISPARTA', 'sikayet', 'şah isp']) {
      await page.locator('#global-search').fill(query);
      await page.locator('#search-results .card-title', { hasText: 'İsmail Şahin' }).waitFor();
    }
    await page.locator('#global-search').fill('zzzz yok');
    assert.equal(await page.locator('#search-results .card').count(), 0);
    await context.close();
  });

  test('a quote line with a bad quantity gets a clear message and keeps the typing', async () => {
    const context = await phone(browser);
    const page = await openApp(context, server.url, '/accounts');
    await createAccount(page, { name: 'Toros Makine Ltd.', city: 'Mersin' });
    await goToArea(page, 'Teklifler');
    await page.locator('#new-record').click();
    await page.locator('#quote-account').fill('toros');
    await page.locator('.picker-option', { hasText: 'Toros Makine Ltd.' }).click();
    await page.getByRole('button', { name: /^Kaydet$/ }).click();
    await page.locator('article.detail[data-kind="quote"]').waitFor();
    await page.locator('#add-line').click();
    await page.locator('#line-description').fill('Kurulum hizmeti');
    await page.locator('#line-quantity').fill('iki');
    await page.locator('#line-unit_price').fill('750');
    await page.locator('#save-line').click();
    await page.locator('[data-field="quantity"] .error').filter({ hasText: /sayı/i }).waitFor();
    assert.equal(await page.locator('#line-quantity').inputValue(), 'iki');
    assert.equal(await page.locator('#line-description').inputValue(), 'Kurulum hizmeti');
    await page.locator('#line-quantity').fill('2');
    await page.locator('#save-line').click();
    await page.locator('[data-total="gross"]', { hasText: '1.800,00 ₺' }).waitFor();
    await context.close();
  });
});
