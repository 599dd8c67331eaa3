// End-to-end: a Turkish Excel file (Windows-1254, `;`) imported on a phone, its bad rows
// reported one by one and downloadable, the records listed, then the import undone.
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

/** CRC-32 (the ZIP one) of `bytes`. */
function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k += 1) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A ZIP archive of `files` ([name, text]), stored without compression. */
function zip(files) {
  const locals = [];
  const central = [];
  let offset = 0;
  for (const [name, text] of files) {
    const nameBytes = Buffer.from(name, 'utf8');
    const data = Buffer.from(text, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x0800, 8);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(data.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(nameBytes.length, 28);
    entry.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    central.push(entry, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * An Excel workbook as Excel saves one: a notes sheet first, then the accounts with a
 * TCKN and a phone typed as numbers, a birthday as an Excel date, an amount with three
 * decimals, and a VKN cell whose formula fails (`#N/A`).
 */
function excelWorkbook() {
  const text = (r, t) => `<c r="${r}" t="inlineStr"><is><t>${t}</t></is></c>`;
  const sheets = [
    ['Açıklama', `<row r="1">${text('A1', 'Eski CRM dökümü, Kasım')}</row>`],
    ['Firmalar', [
      `<row r="1">${text('A1', 'Firma Adı')}${text('B1', 'Vergi No')}${text('C1', 'Cep Tel')}${text('D1', 'Doğum Tarihi')}${text('E1', 'Yıllık Potansiyel')}</row>`,
      `<row r="2">${text('A2', 'Şule Işık Çiçekçilik')}<c r="B2"><v>10000000146</v></c><c r="C2"><v>5321234567</v></c><c r="D2" s="1"><v>29314</v></c><c r="E2"><v>1.125</v></c></row>`,
      `<row r="3">${text('A3', 'Ağaoğlu Gıda A.Ş.')}${text('B3', vkn(123456780))}${text('C3', '0532 111 22 33')}</row>`,
      `<row r="4">${text('A4', 'Formül Hatası Ltd.')}<c r="B4" t="e"><v>#N/A</v></c></row>`,
    ].join('')],
  ];
  const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const files = [
    ['[Content_Types].xml', `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>${sheets.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')}</Types>`],
    ['_rels/.rels', `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`],
    ['xl/workbook.xml', `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${main}" xmlns:r="${rel}"><sheets>${sheets.map(([name], i) => `<sheet name="${name}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`],
    ['xl/_rels/workbook.xml.rels', `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${rel}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('')}<Relationship Id="rId9" Type="${rel}/styles" Target="styles.xml"/></Relationships>`],
    ['xl/styles.xml', `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="${main}"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>`],
    ...sheets.map(([, data], i) => [`xl/worksheets/sheet${i + 1}.xml`, `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${main}"><sheetData>${data}</sheetData></worksheet>`]),
  ];
  return zip(files);
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
  test('an Excel workbook: the sheet chosen, typed cells read exactly, a formula error refused', async () => {
    const context = await phone(browser);
    const page = await openApp(context, server.url, '/settings/import');
    await waitForSynced(page);
    await page.locator('#import h1').waitFor();
    await page.locator('#import-file').setInputFiles({
      name: 'eski-crm.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: excelWorkbook(),
    });
    // The notes sheet is the first with cells; the accounts are on the second.
    const sheet = page.locator('#import-sheet');
    await sheet.waitFor();
    assert.equal(await page.locator('#import-encoding').count(), 0);
    assert.deepEqual(await sheet.locator('option').allTextContents(), ['Açıklama', 'Firmalar']);
    assert.equal(await sheet.inputValue(), '0');
    await sheet.selectOption({ label: 'Firmalar' });
    await page.locator('select.import-field').nth(4).waitFor();
    const mapped = await page.locator('select.import-field').evaluateAll((selects) => selects.map((s) => s.value));
    assert.deepEqual(mapped, ['name', 'tax_number', 'mobile', 'birthday', 'annual_potential']);

    // The preview shows what will be stored: every digit of numbers typed as numbers, the
    // Excel date as a date, 1.125 as one and an eighth (not a thousand and more).
    const first = page.locator('table.import-preview tbody tr').first();
    await first.waitFor();
    const cells = await first.locator('td').allTextContents();
    assert.deepEqual(cells.slice(0, 2), ['2', 'yeni']);
    assert.deepEqual(cells.slice(2), ['Şule Işık Çiçekçilik', '10000000146', '+905321234567', '1980-04-03', '1.125']);

    // Rows keep their sheet numbers; the formula error refuses its row.
    await page.locator('#import-run').click();
    await page.locator('#import-report[data-dry="false"]').waitFor({ timeout: 60_000 });
    assert.match(await page.locator('#import-report .summary').textContent(), /3 satır: 2 oluşturuldu/);
    const refused = await page.locator('tr.refusal').evaluateAll((rows) => rows.map((r) => [Number(r.dataset.line), r.dataset.reason]));
    assert.deepEqual(refused, [[4, 'cell_error']]);
    assert.match(await page.locator('tr.refusal').textContent(), /Vergi No.*formül hatası/);
    // The import is in the audit log, as one run on the server would be.
    await page.waitForFunction(async () => {
      const log = await fetch('/api/audit').then((r) => r.json());
      return log.some((e) => e.action === 'records.imported' && e.target === 'accounts'
        && e.detail.startsWith('eski-crm.xlsx: 3 rows, 2 created, 0 updated, 1 refused'));
    });

    await page.goto(`${server.url}/accounts`);
    await page.locator('#account-search').fill('sule isik');
    await page.locator('.card-title', { hasText: 'Şule Işık Çiçekçilik' }).waitFor();
    await context.close();
  });
  test("a phone's contacts (vCard 2.1) come in as contacts and go out again as vCard 3.0", async () => {
    const vcf = [
      'BEGIN:VCARD', 'VERSION:2.1',
      'N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=96zt=C3=BCrk;=C5=9Eule;;;',
      'FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C5=9Eule =C3=96zt=C3=BCrk',
      'TEL;CELL:0532 765 43 21', 'TEL;WORK:0212 555 66 77', 'TEL;HOME:0216 111 22 33',
      'EMAIL;HOME:sule.ozturk@example.com', 'ORG:Yok Böyle Firma', 'BDAY:1985-11-09',
      'END:VCARD',
      'BEGIN:VCARD', 'VERSION:3.0', 'N:Kaya;Mehmet Ali;;;', 'FN:Mehmet Ali Kaya',
      'TEL;TYPE=CELL:+90 533 222 33 44', 'BDAY:--0704', 'END:VCARD', '',
    ].join('\r\n');
    const context = await phone(browser);
    const page = await openApp(context, server.url, '/settings/import');
    await waitForSynced(page);
    await page.locator('#import h1').waitFor();
    await page.locator('#import-kind').selectOption('contact');
    await page.locator('#import-file').setInputFiles({ name: 'rehber.vcf', mimeType: 'text/vcard', buffer: Buffer.from(vcf, 'utf8') });
    await page.locator('select.import-field').nth(7).waitFor();
    const mapped = await page.locator('select.import-field').evaluateAll((selects) => selects.map((s) => s.value));
    // The organization is not guessed as the account: most phone contacts' companies are
    // not customers, and a link to no record would refuse the row.
    assert.deepEqual(mapped, ['name', '', 'title', 'mobile', 'phone', 'email', 'birthday', 'notes']);
    await page.locator('#import-run').click();
    await page.locator('#import-report[data-dry="false"]').waitFor({ timeout: 60_000 });
    assert.match(await page.locator('#import-report .summary').textContent(), /2 satır: 2 oluşturuldu/);

    await page.goto(`${server.url}/contacts`);
    await page.locator('.card-title', { hasText: 'Şule Öztürk' }).click();
    // The home number and the yearless birthday are kept in the notes, not dropped.
    await page.getByText('TEL: 0216 111 22 33').waitFor();
    await page.goto(`${server.url}/contacts`);
    await page.locator('details.list-options summary').click();
    await page.locator('#list-export-link').click();
    await page.locator('#list-export-count', { hasText: '2' }).waitFor();
    // Saved offline: the file is made on the device, and the audit log hears of it
    // when the phone is back online.
    await context.setOffline(true);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#list-export-vcf3').click(),
    ]);
    await context.setOffline(false);
    await waitForSynced(page);
    await page.waitForFunction(async () => {
      const log = await fetch('/api/audit').then((r) => r.json());
      return log.some((e) => e.action === 'records.exported' && e.target === 'contacts' && /2 rows as vcf3/.test(e.detail));
    }, null, { timeout: 30_000 });
    assert.match(download.suggestedFilename(), /^contacts-\d{4}-\d{2}-\d{2}\.vcf$/);
    const text = (await readFile(await download.path())).toString('utf8');
    assert.match(text, /BEGIN:VCARD\r\nVERSION:3\.0\r\nN:Öztürk;Şule;;;\r\nFN:Şule Öztürk\r\n/);
    assert.match(text, /TEL;TYPE=CELL:\+905327654321\r\n/);
    assert.match(text, /BDAY:1985-11-09\r\n/);
    assert.match(text, /TEL;TYPE=WORK,VOICE:\+902125556677\r\nEMAIL;TYPE=INTERNET:sule\.ozturk@example\.com\r\n/);
    assert.match(text, /NOTE:TEL: 0216 111 22 33\r\n/);
    assert.match(text, /NOTE:BDAY: --0704\r\n/);
    assert.equal(text.match(/BEGIN:VCARD/g).length, 2);
    await context.close();
  });

  test('orders with lines from an ERP export: each order whole, a bad one refused with all its rows', async () => {
    const tax = vkn(432100000);
    const context = await phone(browser);
    const page = await openApp(context, server.url, '/settings/import');
    await waitForSynced(page);
    await page.locator('#import h1').waitFor();
    /** Imports `text` as `kind` and answers the report's summary. */
    const importFile = async (kind, name, text, columns) => {
      await page.goto(`${server.url}/settings/import`);
      await page.locator('#import h1').waitFor();
      await page.locator('#import-kind').selectOption(kind);
      await page.locator('#import-file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });
      await page.locator('select.import-field').nth(columns - 1).waitFor();
      await page.locator('#import-run').click();
      await page.locator('#import-report[data-dry="false"]').waitFor({ timeout: 60_000 });
      return page.locator('#import-report .summary').textContent();
    };
    assert.match(await importFile('account', 'cariler.csv', `Firma Adı;Vergi No\nKaya Market Ltd.;${tax}\n`, 2), /1 satır: 1 oluşturuldu/);
    assert.match(await importFile('product', 'urunler.csv', 'Stok Kodu;Ürün Adı;Birim Fiyat;Maliyet;KDV\nUR-1;Beyaz peynir 1 kg;250;180;%10\nUR-2;Kaşar 500 g;190;;%10\n', 5), /2 satır: 2 oluşturuldu/);

    const orders = [
      'Sipariş No;Sipariş Tarihi;Vergi No;Stok Kodu;Miktar;Birim Fiyat;Durum',
      `S-1;14.11.2025;${tax};UR-1;10;240;Faturalandı`,
      `S-1;14.11.2025;${tax};UR-2;5;;Faturalandı`,
      `S-2;02.12.2025;${tax};UR-1;1;;`,
      `S-2;02.12.2025;${tax};UR-404;1;;`,
      `S-3;03.12.2025;${tax};UR-2;2;;Açık`,
    ].join('\n');
    await page.goto(`${server.url}/settings/import`);
    await page.locator('#import h1').waitFor();
    await page.locator('#import-kind').selectOption('order');
    await page.locator('#import-file').setInputFiles({ name: 'siparisler.csv', mimeType: 'text/csv', buffer: Buffer.from(`${orders}\n`, 'utf8') });
    await page.locator('select.import-field').nth(6).waitFor();
    const mapped = await page.locator('select.import-field').evaluateAll((selects) => selects.map((s) => s.value));
    assert.deepEqual(mapped, ['number', 'order_date', 'account', 'line_product', 'line_quantity', 'line_unit_price', 'status']);
    // The preview shows each order once, its lines side by side.
    await page.locator('.import-preview tbody tr').first().waitFor();
    const preview = await page.locator('.import-preview tbody tr').evaluateAll((rows) => rows.map((r) => r.textContent));
    assert.equal(preview.length, 4, preview.join('\n'));
    assert.match(preview[0], /^2.*S-1.*10 · 5.*240 · 190/);
    await page.locator('#import-run').click();
    await page.locator('#import-report[data-dry="false"]').waitFor({ timeout: 60_000 });
    const summary = await page.locator('#import-report .summary').textContent();
    assert.match(summary, /5 satır: 2 oluşturuldu, 0 güncellendi, 0 değişmedi, 2 reddedildi\. Siparişlerde 3 kalem var\./);
    const refused = await page.locator('#import-report tr.refusal').evaluateAll((rows) => rows.map((r) => [r.dataset.line, r.dataset.reason]));
    assert.deepEqual(refused, [['4', 'order_refused'], ['5', 'link_not_found']]);

    // The invoiced order is there with its day and both lines.
    await page.goto(`${server.url}/orders`);
    await page.locator('.card-title', { hasText: 'S-1' }).click();
    await page.getByText('Beyaz peynir 1 kg').waitFor();
    await page.getByText('Kaşar 500 g').waitFor();
    assert.match(await page.locator('dd[data-field="order_date"]').textContent(), /14(\.11\.| Kasım )2025/);
    await waitForSynced(page);
    await context.close();
  });
});

