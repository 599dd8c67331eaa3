// End-to-end: a Turkish Excel file (Windows-1254, `;`) imported on a phone, its bad rows
// reported one by one and downloadable, the records listed, then the import undone.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
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

/** Windows-1254 bytes of `text` (ASCII and the Turkish letters the file uses). */
function windows1254(text) {
  const high = { 'Ğ': 0xd0, 'İ': 0xdd, 'Ş': 0xde, 'ğ': 0xf0, 'ı': 0xfd, 'ş': 0xfe, 'Ç': 0xc7, 'ç': 0xe7, 'Ö': 0xd6, 'ö': 0xf6, 'Ü': 0xdc, 'ü': 0xfc };
  return Buffer.from([...text].map((c) => {
    if (c.charCodeAt(0) < 0x80) return c.charCodeAt(0);
    if (high[c] === undefined) throw new Error(`no Windows-1254 byte for ${c}`);
    return high[c];
  }));
}

/** A valid VKN (ten digits, the last a check digit) starting with the nine digits of `n`. */
function vkn(n) {
  const digits = String(n).padStart(9, '0').split('').map(Number);
  let sum = 0;
  digits.forEach((d, j) => {
    const power = 9 - j;
    const c1 = (d + power) % 10;
    if (c1 !== 0) {
      const c2 = (c1 * 2 ** power) % 9;
      sum += c2 === 0 ? 9 : c2;
    }
  });
  return digits.join('') + String((10 - (sum % 10)) % 10);
}

/** 1,000 data rows: 993 good, 7 bad ones at known lines. */
function turkishFile() {
  const lines = ['Firma Adı;Vergi No;Cep Tel;E-Posta;Şehir;Müşteri Tipi'];
  const bad = new Map([
    [101, `Bozuk Vergi Şirketi;${vkn(900000001).slice(0, 9)}9;;;Bursa;`],
    [202, 'Olmayan Alan Kodu Ltd.;;0123 456 78 90;;Ankara;'],
    [303, 'Çift Kuyruklu Posta;;;satış@@örnek;İzmir;'],
    [404, ';;;;Van;'],
    [505, `İkinci Kez Gelen;${vkn(100000002)};;;Muş;`],
    [606, 'Taşan Satır;;;;Sivas;;fazla hücre'],
    [707, 'Bilinmeyen Tip;;;;Kars;Acayip'],
  ]);
  for (let i = 2; i <= 1001; i += 1) {
    if (bad.has(i)) {
      lines.push(bad.get(i));
    } else {
      lines.push(`Çiçekçilik Ğüşiöç ${i} A.Ş.;${vkn(100000000 + i)};0532 ${String(100 + (i % 900)).padStart(3, '0')} 22 33;satis${i}@cicek.com.tr;İstanbul;Potansiyel`);
    }
  }
  return windows1254(`${lines.join('\r\n')}\r\n`);
}

describe('import', () => {
  test('a 1,000-row Windows-1254 file: 7 bad rows reported, 993 imported, then undone', async () => {
    const file = turkishFile();
    // The check digit of the bad VKN really is wrong.
    assert.notEqual(`${vkn(900000001).slice(0, 9)}9`, vkn(900000001));
    const context = await phone(browser);
    const page = await openApp(context, server.url, '/settings');
    await waitForSynced(page);
    await page.locator('#import-link').click();
    await page.locator('#import h1').waitFor();
    await page.locator('#import-file').setInputFiles({ name: 'firmalar.csv', mimeType: 'text/csv', buffer: file });

    // Read as Turkish Excel writes it; the headers mapped themselves.
    await page.locator('ul.import-mapping select').first().waitFor();
    assert.equal(await page.locator('#import-encoding').inputValue(), 'windows-1254');
    const mapped = await page.locator('select.import-field').evaluateAll((selects) => selects.map((s) => s.value));
    assert.deepEqual(mapped, ['name', 'tax_number', 'mobile', 'email', 'city', 'type']);
    assert.equal(await page.locator('#import-key').inputValue(), 'tax_number');
    // The preview shows values as they will be stored.
    const preview = page.locator('table.import-preview tbody tr').first();
    await preview.waitFor();
    assert.match(await preview.textContent(), /Çiçekçilik Ğüşiöç 2 A\.Ş\./);
    assert.match(await preview.textContent(), /\+905321022233/);

    // The dry run finds the 7, stores nothing.
    await page.locator('#import-check').click();
    await page.locator('#import-report[data-dry="true"]').waitFor({ timeout: 60_000 });
    assert.match(await page.locator('#import-report .summary').textContent(), /1\.000 satır denetlendi: 993 oluşturulacak, 0 güncellenecek, 0 değişmeyecek, 7 reddedildi/);
    const refused = await page.locator('tr.refusal').evaluateAll((rows) => rows.map((r) => [Number(r.dataset.line), r.dataset.reason]));
    assert.deepEqual(refused, [
      [101, 'invalid_vkn'],
      [202, 'invalid_phone'],
      [303, 'invalid_email'],
      [404, 'required'],
      [505, 'duplicate_in_file'],
      [606, 'extra_cells'],
      [707, 'invalid_choice'],
    ]);
    // The refused rows download as they were, with their reasons.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#import-refused-download').click(),
    ]);
    const csv = await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
    assert.equal(csv.trim().split('\r\n').length, 8);
    assert.match(csv, /Olmayan Alan Kodu Ltd\./);
    assert.match(csv, /satış@@örnek/);

    // The real run.
    await page.locator('#import-run').click();
    await page.locator('#import-report[data-dry="false"]').waitFor({ timeout: 120_000 });
    assert.match(await page.locator('#import-report .summary').textContent(), /1\.000 satır: 993 oluşturuldu/);
    // The 993 new documents reach the server like any edit.
    await page.locator('output.sync[data-sync="synced"][data-pending="0"]').waitFor({ timeout: 180_000 });
    await page.goto(`${server.url}/accounts`);
    await page.locator('#account-search').fill('cicekcilik 777');
    await page.locator('.card-title', { hasText: 'Çiçekçilik Ğüşiöç 777 A.Ş.' }).waitFor();

    // A second device sees them through sync.
    const other = await phone(browser);
    const second = await openApp(other, server.url, '/accounts');
    await waitForSynced(second);
    await second.locator('#account-search').fill('cicekcilik 778');
    await second.locator('.card-title', { hasText: 'Çiçekçilik Ğüşiöç 778 A.Ş.' }).waitFor({ timeout: 60_000 });

    // Undo: the 993 go to the bin.
    await page.goto(`${server.url}/settings/import`);
    await page.locator('.import-job .import-undo').click();
    await page.locator('#import-notice', { hasText: '993 kayıt çöp kutusunda' }).waitFor({ timeout: 120_000 });
    await page.goto(`${server.url}/accounts`);
    await page.locator('#account-search').fill('cicekcilik 777');
    await page.getByText('Aramanızla eşleşen kayıt yok.').waitFor();
    await waitForSynced(page);
    await second.locator('#account-search').fill('cicekcilik 779');
    await second.getByText('Aramanızla eşleşen kayıt yok.').waitFor({ timeout: 60_000 });
    await other.close();
    await context.close();
  });
});
