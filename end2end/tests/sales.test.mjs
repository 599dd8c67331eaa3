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

    // The catalog: a product with a price, what it costs us, and KDV rate.
    await page.locator('#new-record').click();
    await page.locator('#product-sku').fill('ZY-5L');
    await page.locator('#product-name').fill('Sızma zeytinyağı 5 L');
    await page.locator('#product-unit_price').fill('1.250,00');
    await page.locator('#product-unit_cost').fill('900,00');
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
    // Nothing on the phone resembles the lead: new records are chosen.
    await page.locator('#convert-account input[value=""]:checked').waitFor();
    await page.locator('#convert-confirm').click();
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

    // Profitability: the invoice is the sale (its order and quote do not count again);
    // 4.500,00 net less 4 × 900,00 of cost kept from the product = 900,00 (%20,0).
    await goToArea(page, 'Kârlılık');
    const row = page.locator('#profit-ranking tbody tr', { hasText: 'Ege Zeytin A.Ş.' });
    await row.waitFor();
    assert.equal(await row.getAttribute('data-class'), 'A');
    assert.equal((await row.locator('td').nth(3).textContent()).trim(), '4.500,00 ₺');
    assert.equal((await row.locator('td.margin').textContent()).trim(), '900,00 ₺');
    assert.equal((await row.locator('td').nth(5).textContent()).trim(), '%20,0');
    assert.equal(await page.locator('#uncosted-lines').count(), 0);
    assert.equal(await page.locator('#whale-curve svg[role="img"]').count(), 1);
    await page.locator('#whale-curve summary').click();
    assert.equal(await page.locator('#whale-curve-table tbody tr').count(), 10);

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
    // The programme's page lists the account as a member of its tier.
    await goToArea(tablet, 'Sadakat programı');
    await tablet.locator('#loyalty-members li[data-points="34"]', { hasText: 'Ege Zeytin A.Ş.' }).waitFor();
    assert.equal(await tablet.locator('#loyalty-tiers dd[data-tier="Bronz"]').textContent(), '1');
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
  test('a settled quote is locked and revised under its number; issuing invoices the order; the print carries the company', async () => {
    const context = await phone(browser);
    // The seller's details, once, by the owner.
    const page = await openApp(context, server.url, '/settings/company');
    await page.locator('#company-legal_name').fill('Anadolu Tarım Makineleri San. ve Tic. A.Ş.');
    await page.locator('#company-address').fill('OSB 5. Cadde No: 8, Selçuklu / Konya');
    await page.locator('#company-tax_office').fill('Selçuk');
    await page.locator('#company-tax_number').fill('1234567890');
    await page.locator('#company-iban').fill('TR33 0006 1005 1978 6457 8413 27');
    await page.locator('#save-company').click();
    await page.locator('[data-field="iban"] .error', { hasText: 'IBAN' }).waitFor();
    await page.locator('#company-iban').fill('tr330006100519786457841326');
    // A 1×1 PNG as the logo; a text file is refused with a message.
    await page.locator('#company-logo').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await page.locator('[data-field="logo"] .error', { hasText: 'PNG' }).waitFor();
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    await page.locator('#company-logo').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from(png, 'base64') });
    await page.locator('form#company-form img.company-logo').waitFor();
    await page.locator('#save-company').click();
    await page.locator('#company-form [role="status"]', { hasText: 'Kaydedildi' }).waitFor();

    await createAccount(page, { name: 'Konya Un Fabrikası A.Ş.', city: 'Konya' });
    await goToArea(page, 'Teklifler');
    await page.locator('#new-record').click();
    await page.locator('#quote-account').fill('konya un');
    await page.locator('.picker-option', { hasText: 'Konya Un Fabrikası A.Ş.' }).click();
    await page.getByRole('button', { name: /^Kaydet$/ }).click();
    // Quotes are numbered when made, from this device's block: TKL-year-five digits.
    const year = new Date().getFullYear();
    const quoteHeading = page.locator('article.detail[data-kind="quote"] h1', { hasText: new RegExp(`TKL-${year}-\\d{5}`) });
    await quoteHeading.waitFor();
    const quoteNumber = (await quoteHeading.textContent()).match(/TKL-\d{4}-\d{5}/)[0];
    await page.locator('#add-line').click();
    await page.locator('#line-description').fill('Değirmen bakımı');
    await page.locator('#line-quantity').fill('10');
    await page.locator('#line-unit_price').fill('300');
    await page.locator('#save-line').click();
    await page.locator('[data-total="gross"]', { hasText: '3.600,00 ₺' }).waitFor();
    await page.locator('#mark-sent').click();
    await page.locator('#mark-accepted').click();
    await page.locator('.badge', { hasText: 'Kabul edildi' }).waitFor();
    // Accepted: the offer is locked; only a new version changes it.
    await page.locator('#revise-quote').waitFor();
    assert.equal(await page.locator('#add-line').count(), 0);
    assert.equal(await page.locator('table.lines').getByRole('button', { name: 'Düzenle' }).count(), 0);
    await page.locator('#revise-quote').click();
    await page.locator('[role="alertdialog"]', { hasText: 'yeni sürümü' }).waitFor();
    await page.locator('#revise-quote-confirm').click();
    await page.locator('article.detail[data-kind="quote"] h1', { hasText: `${quoteNumber} R2` }).waitFor();
    await page.locator('.badge', { hasText: 'Taslak' }).waitFor();
    await page.locator('table.lines tr[data-line]').getByRole('button', { name: 'Düzenle' }).click();
    await page.locator('#line-unit_price').fill('280');
    await page.locator('#save-line').click();
    await page.locator('[data-total="gross"]', { hasText: '3.360,00 ₺' }).waitFor();
    // The first version is kept as it was, marked revised.
    await page.locator('#document-source a').click();
    await page.locator('.badge', { hasText: 'Revize edildi' }).waitFor();
    assert.ok(!(await page.locator('article.detail h1').textContent()).includes('R2'));
    assert.equal(await page.locator('[data-total="gross"]').textContent(), '3.600,00 ₺');
    assert.equal(await page.locator('#revise-quote').count(), 0);
    await page.goBack();
    await page.locator('article.detail h1', { hasText: `${quoteNumber} R2` }).waitFor();

    // The new version is accepted, ordered and invoiced.
    await page.locator('#mark-accepted').click();
    await page.locator('#create-order').click();
    await page.locator('article.detail[data-kind="order"] h1', { hasText: new RegExp(`SIP-${year}-\\d{5}`) }).waitFor();
    await page.locator('#create-invoice').click();
    await page.locator('article.detail[data-kind="invoice"]').waitFor();
    await page.locator('#issue-invoice').click();
    await page.locator('#issue-invoice-confirm').click();
    await page.locator('article.detail h1', { hasText: new RegExp(`SAH${year}\\d{9}`) }).waitFor();
    // Issuing marked the order invoiced: no second invoice is offered.
    await page.locator('#document-source a').click();
    await page.locator('article.detail[data-kind="order"] .badge', { hasText: 'Faturalandı' }).waitFor();
    assert.equal(await page.locator('#create-invoice').count(), 0);
    await page.goBack();
    await page.locator('article.detail[data-kind="invoice"]').waitFor();

    // Printed, the invoice is an A4 page with the seller's and the customer's details.
    await page.emulateMedia({ media: 'print' });
    const header = page.locator('header.print-header');
    await header.waitFor();
    const text = await header.textContent();
    for (const expected of ['Anadolu Tarım Makineleri San. ve Tic. A.Ş.', 'Selçuk', '1234567890', 'TR33 0006 1005 1978 6457 8413 26', 'Konya Un Fabrikası A.Ş.', 'Tarih']) {
      assert.ok(text.includes(expected), `the print header has ${expected}: ${text}`);
    }
    assert.ok(await header.locator('img.company-logo').isVisible());
    assert.ok(await page.locator('table.lines thead').isVisible(), 'printed lines are a table, not cards');
    await page.emulateMedia({ media: 'screen' });
    await context.close();
  });
  test('a won deal becomes an order in one tap', async () => {
    const context = await phone(browser);
    const page = await openApp(context, server.url, '/accounts');
    await createAccount(page, { name: 'Akdeniz Gıda Ltd.', city: 'Antalya' });
    await goToArea(page, 'Fırsatlar');
    await page.locator('#new-record').click();
    await page.locator('#opportunity-name').fill('Soğuk oda kurulumu');
    await page.locator('#opportunity-account').fill('akdeniz');
    await page.locator('.picker-option', { hasText: 'Akdeniz Gıda Ltd.' }).click();
    await page.locator('#opportunity-stage').selectOption('won');
    await page.locator('#opportunity-amount').fill('250.000');
    await save(page, 'opportunity', 'Soğuk oda kurulumu');
    await page.locator('#order-from-deal').click();
    const year = new Date().getFullYear();
    await page.locator('article.detail[data-kind="order"] h1', { hasText: new RegExp(`SIP-${year}-\\d{5}`) }).waitFor();
    // No quote: one line for the deal's amount, KDV on top (250.000 + %20).
    await page.locator('table.lines tr[data-line]', { hasText: 'Soğuk oda kurulumu' }).waitFor();
    await page.locator('[data-total="gross"]', { hasText: '300.000,00 ₺' }).waitFor();
    await context.close();
  });
});
