// End-to-end: taking data out on a phone. A list saves the records it shows as a CSV
// that Excel set to Turkish opens (`;`, Turkish letters intact, audited), and the owner
// downloads the whole workspace from Settings as a complete backup (header, the account
// with its history, the end line) with no password hash in it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { createAccount, launch, openApp, phone, setUp, startServer, waitForSynced } from './helpers.mjs';

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

describe('export', () => {
  test('a list saves as a Turkish Excel CSV and the owner downloads a backup', async () => {
    const context = await phone(browser);
    const page = await openApp(context, server.url);
    await createAccount(page, { name: 'Çağlayan Ölçü Aletleri', city: 'Eskişehir' });
    await waitForSynced(page);
    await page.goto(`${server.url}/accounts`);
    await page.locator('details.list-options summary').click();
    await page.locator('#list-export-link').click();
    await page.locator('#list-export-count', { hasText: '1' }).waitFor();
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#list-export-csv-tr').click(),
    ]);
    assert.match(csv.suggestedFilename(), /^accounts-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = (await readFile(await csv.path())).toString('utf8');
    const [header, row] = text.split('\r\n');
    assert.ok(header.startsWith('\ufeffid;name;'), header);
    assert.ok(row.includes(';Çağlayan Ölçü Aletleri;'), row);
    assert.ok(row.includes(';Eskişehir;'), row);
    await page.waitForFunction(async () => {
      const log = await fetch('/api/audit').then((r) => r.json());
      return log.some((e) => e.action === 'records.exported' && e.target === 'accounts');
    });

    await page.goto(`${server.url}/settings`);
    const link = page.locator('#backup-link');
    await link.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.match(download.suggestedFilename(), /^saha-backup-.+-\d{4}-\d{2}-\d{2}\.jsonl\.gz$/);
    const lines = gunzipSync(await readFile(await download.path())).toString('utf8').trim().split('\n');
    const first = JSON.parse(lines[0]);
    assert.equal(first.header.format, 'saha-backup');
    const end = JSON.parse(lines.at(-1)).end;
    const documents = lines.filter((l) => l.startsWith('{"document"'));
    assert.equal(end.documents, documents.length);
    assert.ok(documents.some((l) => JSON.parse(l).document.kind === 'account'));
    assert.ok(!lines.some((l) => l.includes('argon2')), 'no password hash in a backup');
    await context.close();
  });
});
