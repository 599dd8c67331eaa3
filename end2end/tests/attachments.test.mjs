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
});
