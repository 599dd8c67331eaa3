// End-to-end: a rep photographs, records a voice note and attaches a document on a
// phone while offline; the files are shown from the phone at once, go up when it is back
// online, and a colleague's phone shows, plays and opens them. Chromium's fake
// microphone stands in for a real one, a file chooser for the camera.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createAccount, launch, openApp, phone, setUp, startServer, waitForOfflineReady, waitForSynced,
} from './helpers.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  await setUp(server.url);
  browser = await launch(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream']);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A 12-megapixel JPEG (4000 × 3000) drawn by the browser: what a phone camera hands over. */
async function cameraPhoto(page) {
  const bytes = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 4000;
    canvas.height = 3000;
    const context = canvas.getContext('2d');
    context.fillStyle = '#0f5c4d';
    context.fillRect(0, 0, 4000, 3000);
    context.fillStyle = '#ffcc00';
    context.fillRect(400, 300, 1600, 900);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.92));
    return Array.from(new Uint8Array(await blob.arrayBuffer()));
  });
  return Buffer.from(bytes);
}

/** The natural width of the first thumbnail, once it has loaded (0 before). */
function thumbnailWidth(page) {
  return page.evaluate(() => {
    const img = document.querySelector('li.attachment img.thumb');
    return img && img.complete ? img.naturalWidth : 0;
  });
}

describe('attachments', () => {
  test('a photo, a voice note and a document attached offline reach a colleague', async () => {
    const contextA = await phone(browser);
    await contextA.grantPermissions(['microphone'], { origin: server.url });
    const a = await openApp(contextA, server.url);
    await createAccount(a, { name: 'Raf Market', city: 'Bursa' });
    await waitForSynced(a);
    const detail = new URL(a.url()).pathname;
    const photo = await cameraPhoto(a);
    await a.locator('section.attachments').waitFor();
    await waitForOfflineReady(a);

    await contextA.setOffline(true);
    await a.locator('output.sync[data-sync="offline"]').waitFor();
    await a.locator('#attach-photo').setInputFiles({ name: 'IMG_0042.jpg', mimeType: 'image/jpeg', buffer: photo });
    // Shown at once from the phone, made smaller (2048 px on its longer edge) and
    // waiting to go up.
    await a.locator('li.attachment[data-type="image/jpeg"] img.thumb').waitFor();
    await a.waitForFunction(() => document.querySelector('li.attachment img.thumb')?.naturalWidth === 2048);
    assert.equal(
      await a.evaluate(() => document.querySelector('li.attachment img.thumb').naturalHeight),
      1536,
      'the proportions are kept',
    );
    await a.locator('li.attachment .upload-state').first().waitFor();
    await a.locator('#attach-file').setInputFiles({
      name: 'imzali-teklif.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% Saha teklif\n%%EOF\n'),
    });
    await a.locator('li.attachment[data-type="application/pdf"] a.file-link', { hasText: 'imzali-teklif.pdf' }).waitFor();
    // A voice note of about two seconds.
    await a.locator('#voice-note').click();
    await a.locator('#voice-note[aria-pressed="true"]').waitFor();
    await a.waitForTimeout(2_200);
    await a.locator('#voice-note').click();
    const note = a.locator('li.attachment[data-type="audio/webm"]');
    await note.locator('audio').waitFor();
    assert.match(await note.locator('.name').textContent(), /^sesli-not-\d{14}\.webm$/);
    assert.match(await note.textContent(), /0:0[2-3]/);
    // A program is refused in words, whatever it is called.
    await a.locator('#attach-file').setInputFiles({
      name: 'fatura.pdf.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ\x90\x00\x03\x00\x00\x00program'),
    });
    await a.locator('#attach-problem', { hasText: 'Saha bu türde dosya saklamaz' }).waitFor();
    assert.equal(await a.locator('li.attachment').count(), 3);
    // Closed and opened again, still offline: the files are there, still waiting.
    await a.reload();
    await a.locator('article.detail h1', { hasText: 'Raf Market' }).waitFor();
    await a.waitForFunction(() => document.querySelector('li.attachment img.thumb')?.naturalWidth === 2048);
    await a.waitForFunction(() => document.querySelectorAll('li.attachment .upload-state').length === 3);

    // Back online: the record's change syncs and both files go up.
    await contextA.setOffline(false);
    await waitForSynced(a, 30_000);
    await a.waitForFunction(() => document.querySelectorAll('li.attachment .upload-state').length === 0, null, { timeout: 30_000 });

    const contextB = await phone(browser);
    const b = await openApp(contextB, server.url, detail);
    await b.locator('article.detail h1', { hasText: 'Raf Market' }).waitFor();
    await b.locator('li.attachment img.thumb').waitFor();
    await b.waitForFunction(() => {
      const img = document.querySelector('li.attachment img.thumb');
      return img?.complete && img.naturalWidth === 2048;
    }, null, { timeout: 15_000 });
    assert.equal(await thumbnailWidth(b), 2048);
    // The voice note plays from the server.
    await b.waitForFunction(() => {
      const audio = document.querySelector('li.attachment audio');
      return audio && audio.readyState >= 1 && audio.duration > 1;
    }, null, { timeout: 15_000 });
    const href = await b.locator('li.attachment a.file-link').getAttribute('href');
    assert.match(href, /^\/api\/v1\/accounts\/[^/]+\/attachments\/[0-9a-f]{64}$/);
    const pdf = await contextB.request.get(server.url + href);
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    assert.match(pdf.headers()['content-disposition'], /^attachment;/);
    assert.equal((await pdf.body()).toString(), '%PDF-1.4\n% Saha teklif\n%%EOF\n');

    // Removing a file takes it off the record for everyone.
    await b.locator('li.attachment[data-type="application/pdf"] .remove-attachment').click();
    await a.locator('li.attachment[data-type="application/pdf"]').waitFor({ state: 'detached', timeout: 15_000 });
    assert.equal((await contextB.request.get(server.url + href)).status(), 404);

    // Seen once, the photo and the voice note stay on the colleague's phone offline.
    await waitForOfflineReady(b);
    await contextB.setOffline(true);
    await b.reload();
    await b.locator('article.detail h1', { hasText: 'Raf Market' }).waitFor();
    await b.waitForFunction(() => document.querySelector('li.attachment img.thumb')?.naturalWidth === 2048, null, { timeout: 15_000 });
    await b.waitForFunction(() => (document.querySelector('li.attachment audio')?.src ?? '').startsWith('blob:'));
    await contextA.close();
    await contextB.close();
  });
  test('files picked together and right after each other all stay on the record', async () => {
    const context = await phone(browser);
    const page = await openApp(context, server.url);
    await createAccount(page, { name: 'Çarşı Bakkal', city: 'Konya' });
    await waitForSynced(page);
    await page.locator('section.attachments').waitFor();
    const pdf = (title) => Buffer.from(`%PDF-1.4\n% ${title}\n%%EOF\n`);
    // Two documents in one pick, and a third picked before the first two are stored:
    // three updates of the same record under way at once.
    await page.locator('#attach-file').setInputFiles([
      { name: 'teklif-1.pdf', mimeType: 'application/pdf', buffer: pdf('bir') },
      { name: 'teklif-2.pdf', mimeType: 'application/pdf', buffer: pdf('iki') },
    ]);
    await page.locator('#attach-file').setInputFiles({
      name: 'teklif-3.pdf', mimeType: 'application/pdf', buffer: pdf('üç'),
    });
    await page.waitForFunction(() => document.querySelectorAll('li.attachment').length === 3, null, { timeout: 15_000 });
    await waitForSynced(page, 30_000);
    await page.waitForFunction(() => document.querySelectorAll('li.attachment .upload-state').length === 0, null, { timeout: 30_000 });
    // As the server has it: a colleague's phone lists all three.
    const detail = new URL(page.url()).pathname;
    const other = await phone(browser);
    const colleague = await openApp(other, server.url, detail);
    await colleague.locator('article.detail h1', { hasText: 'Çarşı Bakkal' }).waitFor();
    await colleague.waitForFunction(() => document.querySelectorAll('li.attachment').length === 3, null, { timeout: 15_000 });
    const names = await colleague.locator('li.attachment .name').allTextContents();
    assert.deepEqual(names.sort(), ['teklif-1.pdf', 'teklif-2.pdf', 'teklif-3.pdf']);
    await context.close();
    await other.close();
  });
  test('the settings page shows the files kept on the phone and keeps only what the member chose', async () => {
    const context = await phone(browser);
    const page = await openApp(context, server.url);
    await createAccount(page, { name: 'Depo Market', city: 'Kayseri' });
    await waitForSynced(page);
    const detail = new URL(page.url()).pathname;
    await page.locator('section.attachments').waitFor();
    const photo = await cameraPhoto(page);
    await page.locator('#attach-photo').setInputFiles({ name: 'depo.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.locator('#attach-file').setInputFiles({
      name: 'sozlesme.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% sözleşme\n%%EOF\n'),
    });
    await page.waitForFunction(() => document.querySelectorAll('li.attachment').length === 2);
    await page.waitForFunction(() => document.querySelectorAll('li.attachment .upload-state').length === 0, null, { timeout: 30_000 });
    await waitForOfflineReady(page);

    // The photo, its thumbnail for lists and the PDF.
    const files = (n) => `#device-storage dd[data-files="${n}"]`;
    await page.goto(`${server.url}/settings`);
    await page.locator(files(3)).waitFor();
    assert.equal(await page.locator('#device-storage dd[data-waiting]').getAttribute('data-waiting'), '0');
    // The phone counts the photo's downscaled bytes and the PDF's.
    const bytes = Number(await page.locator(files(3)).getAttribute('data-bytes'));
    assert.ok(bytes > 1_000 && bytes < 2_000_000, `${bytes} bytes`);

    // A file still waiting to go up stays whatever the setting says.
    await context.setOffline(true);
    await page.goto(`${server.url}${detail}`);
    await page.locator('article.detail h1', { hasText: 'Depo Market' }).waitFor();
    await page.locator('#attach-file').setInputFiles({
      name: 'bekleyen.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% bekliyor\n%%EOF\n'),
    });
    await page.locator('li.attachment .upload-state').waitFor();
    await page.goto(`${server.url}/settings`);
    await page.locator(files(4)).waitFor();
    await page.locator('#keep-files').selectOption('none');
    await page.locator('#keep-files-notice', { hasText: '3 dosya bu cihazdan kaldırıldı.' }).waitFor();
    await page.locator(files(1)).waitFor();
    assert.equal(await page.locator('#device-storage dd[data-waiting]').getAttribute('data-waiting'), '1');
    // The setting holds after a restart.
    await page.reload();
    await page.locator(files(1)).waitFor();
    assert.equal(await page.locator('#keep-files').inputValue(), 'none');

    // Online again, the photo shows from the server and is not kept; the waiting file
    // goes up and then leaves the phone the next time the app opens.
    await context.setOffline(false);
    await page.goto(`${server.url}${detail}`);
    await page.waitForFunction(() => {
      const img = document.querySelector('li.attachment img.thumb');
      return img?.complete && img.naturalWidth === 2048;
    }, null, { timeout: 15_000 });
    await page.waitForFunction(() => document.querySelectorAll('li.attachment .upload-state').length === 0, null, { timeout: 30_000 });
    await page.goto(`${server.url}/settings`);
    await page.locator(files(0)).waitFor();

    // Keeping every file again: a photo seen once is kept.
    await page.locator('#keep-files').selectOption('all');
    await page.locator('#keep-files-notice', { hasText: 'Ayar kaydedildi.' }).waitFor();
    await page.goto(`${server.url}${detail}`);
    await page.waitForFunction(() => document.querySelector('li.attachment img.thumb')?.src.startsWith('blob:'), null, { timeout: 15_000 });
    await page.goto(`${server.url}/settings`);
    await page.locator(files(1)).waitFor();
    await context.close();
  });
  test('a photo the camera turned by its EXIF orientation is kept upright, with a thumbnail for lists', async () => {
    const context = await phone(browser);
    const page = await openApp(context, server.url);
    await createAccount(page, { name: 'Dikey Fotoğraf', city: 'Sinop' });
    await waitForSynced(page);
    await page.locator('section.attachments').waitFor();
    // 400 × 300 pixels as stored, with EXIF orientation 6: "turn 90° clockwise to
    // show", as a phone held upright writes it.
    const landscape = Buffer.from(await page.evaluate(async () => {
      const canvas = document.createElement('canvas');
      canvas.width = 400;
      canvas.height = 300;
      const context = canvas.getContext('2d');
      context.fillStyle = '#264653';
      context.fillRect(0, 0, 400, 300);
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.9));
      return Array.from(new Uint8Array(await blob.arrayBuffer()));
    }));
    const tiff = Buffer.from([
      0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, // big-endian TIFF, first IFD at 8
      0x00, 0x01, // one entry
      0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00, // Orientation = 6
      0x00, 0x00, 0x00, 0x00, // no next IFD
    ]);
    const exif = Buffer.concat([Buffer.from('Exif\0\0', 'binary'), tiff]);
    const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, (exif.length + 2) >> 8, (exif.length + 2) & 0xff]), exif]);
    const turned = Buffer.concat([landscape.subarray(0, 2), app1, landscape.subarray(2)]);
    await page.locator('#attach-photo').setInputFiles({ name: 'dikey.jpg', mimeType: 'image/jpeg', buffer: turned });
    await page.waitForFunction(() => document.querySelector('li.attachment img.thumb')?.naturalWidth > 0);
    const size = await page.evaluate(() => {
      const img = document.querySelector('li.attachment img.thumb');
      return [img.naturalWidth, img.naturalHeight];
    });
    assert.deepEqual(size, [300, 400], 'drawn upright, as the camera meant it');
    await waitForSynced(page, 30_000);
    await page.waitForFunction(() => document.querySelectorAll('li.attachment .upload-state').length === 0, null, { timeout: 30_000 });

    // The accounts list shows the photo's thumbnail (256 px on its longer edge), here
    // from this phone and on a colleague's phone from the server.
    const thumbnailOnList = async (list, who) => {
      const img = list.locator('li.card.with-thumb', { hasText: 'Dikey Fotoğraf' }).locator('img.card-thumb');
      await img.waitFor({ timeout: 15_000 });
      await list.waitForFunction((el) => el.complete && el.naturalHeight === 256, await img.elementHandle(), { timeout: 15_000 });
      assert.equal(await img.evaluate((el) => el.naturalWidth), 192, who);
    };
    await page.goto(`${server.url}/accounts`);
    await thumbnailOnList(page, 'this phone');
    const other = await phone(browser);
    await thumbnailOnList(await openApp(other, server.url), 'a colleague');
    await other.close();
    await context.close();
  });
  test('a file over the server\'s limit is refused on the phone, and one the server refuses later is said so', async () => {
    const small = await startServer(['--max-attachment-mib', '1', '--photo-max-edge', '1024']);
    try {
      await setUp(small.url);
      const context = await phone(browser);
      const page = await openApp(context, small.url);
      await createAccount(page, { name: 'Büyük Dosya', city: 'Van' });
      await waitForSynced(page);
      await page.locator('section.attachments').waitFor();
      // 1.5 MB: within the default 25 MB, over what this server takes. The phone knows
      // the server's limit and keeps nothing.
      const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(1_500_000, 0x20), Buffer.from('\n%%EOF\n')]);
      await page.locator('#attach-file').setInputFiles({ name: 'katalog.pdf', mimeType: 'application/pdf', buffer: big });
      await page.locator('#attach-problem', { hasText: "Dosya 1 MB'tan büyük" }).waitFor();
      assert.equal(await page.locator('li.attachment').count(), 0);
      // This server wants photos at most 1,024 px on their longer edge.
      const photo = await cameraPhoto(page);
      await page.locator('#attach-photo').setInputFiles({ name: 'raf.jpg', mimeType: 'image/jpeg', buffer: photo });
      await page.waitForFunction(() => document.querySelector('li.attachment img.thumb')?.naturalWidth === 1024);
      await page.waitForFunction(() => document.querySelectorAll('li.attachment .upload-state').length === 0, null, { timeout: 30_000 });

      // A server whose limit was lowered after the file was queued refuses it for good
      // (its answer stood in for here): the file leaves the queue, stays on the phone,
      // and its record says why, also after a restart.
      await page.route('**/api/v1/blobs/*/chunks/*', (route) => route.fulfill({
        status: 413,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          type: '/api/v1/problems/payload_too_large', title: 'Payload Too Large', status: 413,
          code: 'payload_too_large', detail: 'the file is larger than this server takes',
        }),
      }));
      const pdf = Buffer.from('%PDF-1.4\n% küçük ama reddedilen\n%%EOF\n');
      await page.locator('#attach-file').setInputFiles({ name: 'fiyat.pdf', mimeType: 'application/pdf', buffer: pdf });
      const refused = page.locator('li.attachment', { hasText: 'fiyat.pdf' })
        .locator('.upload-refused', { hasText: 'bu sunucunun sınırından büyük' });
      await refused.waitFor({ timeout: 30_000 });
      assert.equal(await page.locator('li.attachment .upload-state').count(), 0, 'no longer waiting');
      await page.reload();
      await page.locator('article.detail h1', { hasText: 'Büyük Dosya' }).waitFor();
      await refused.waitFor({ timeout: 15_000 });
      await context.close();
    } finally {
      await small.stop();
    }
  });
});
