// Browser benchmark of attaching a photo (issue 23's phone target), in headless Chromium
// on a phone viewport:
//   node bench/photo.mjs --runs 5 --cpu-throttle 4 --out FILE.json
// Opens an account's page, then, `runs` times, hands the photo input a new 12-megapixel
// JPEG (4000 × 3000, drawn with noise so that it encodes and decodes like a camera's,
// not like a flat picture) and measures from the hand-over to the photo shown in the
// gallery (its downscaled copy decoded, `naturalWidth` 2048; the list's thumbnail is
// made and stored before that). Chromium's CPU throttling (CDP
// Emulation.setCPUThrottlingRate) stands in for a mid-range phone during the
// measures; the photos are made before it is switched on.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createAccount, launch, openApp, phone, setUp, startServer, waitForSynced } from '../tests/helpers.mjs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    out: { type: 'string' },
    'cpu-throttle': { type: 'string', default: '4' },
  },
});
const runs = Number(values.runs);
const throttle = Number(values['cpu-throttle']);

function summary(samples) {
  const v = [...samples].sort((a, b) => a - b);
  return { n: v.length, median: v[Math.floor((v.length - 1) / 2)], min: v[0], max: v[v.length - 1] };
}

/**
 * Makes a camera-like 12-megapixel JPEG in the page, kept there as `window.__photos[i]`
 * (handing it over from here would time the test driver's copy of the bytes, not the
 * app); `seed` makes each one different (another hash). Resolves to its size.
 */
async function cameraPhoto(page, seed) {
  return page.evaluate(async (seed) => {
    const canvas = document.createElement('canvas');
    canvas.width = 4000;
    canvas.height = 3000;
    const context = canvas.getContext('2d');
    const gradient = context.createLinearGradient(0, 0, 4000, 3000);
    gradient.addColorStop(0, '#2d6a4f');
    gradient.addColorStop(1, '#f4a261');
    context.fillStyle = gradient;
    context.fillRect(0, 0, 4000, 3000);
    // Noise, block by block: detail a JPEG encoder cannot throw away.
    let state = seed * 2654435761 >>> 0;
    const random = () => {
      state = (state * 1664525 + 1013904223) >>> 0;
      return state / 4294967296;
    };
    const block = context.createImageData(200, 200);
    for (let i = 0; i < block.data.length; i += 4) {
      block.data[i] = random() * 255;
      block.data[i + 1] = random() * 255;
      block.data[i + 2] = random() * 255;
      block.data[i + 3] = 60;
    }
    for (let y = 0; y < 3000; y += 200) {
      for (let x = 0; x < 4000; x += 200) {
        context.putImageData(block, x, y);
      }
    }
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.92));
    window.__photos = window.__photos ?? [];
    window.__photos.push(new File([blob], `IMG_${seed}.jpg`, { type: 'image/jpeg' }));
    return blob.size;
  }, seed);
}

const server = await startServer();
const browser = await launch();
const result = { cpu_throttle: throttle, runs };
try {
  await setUp(server.url);
  const context = await phone(browser);
  const page = await openApp(context, server.url);
  await createAccount(page, { name: 'Ölçüm Market', city: 'Eskişehir' });
  await waitForSynced(page);
  await page.locator('section.attachments').waitFor();
  const sizes = [];
  for (let run = 0; run < runs; run++) sizes.push(await cameraPhoto(page, run + 1));
  result.photo_bytes = summary(sizes);
  if (throttle > 1) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  }
  const shown = [];
  for (let run = 0; run < runs; run++) {
    const before = await page.locator('li.attachment').count();
    // The photo input gets the file as the camera hands it over.
    const started = await page.evaluate((run) => {
      const input = document.querySelector('#attach-photo');
      const files = new DataTransfer();
      files.items.add(window.__photos[run]);
      input.files = files.files;
      const at = performance.now();
      input.dispatchEvent(new Event('change', { bubbles: true }));
      return at;
    }, run);
    // The newest photo is listed first; shown once its downscaled copy has decoded.
    const done = await page.waitForFunction((count) => {
      const items = document.querySelectorAll('li.attachment');
      const img = items.length > count ? items[0].querySelector('img.thumb') : null;
      return img && img.complete && img.naturalWidth === 2048 ? performance.now() : false;
    }, before, { timeout: 60_000, polling: 'raf' });
    shown.push((await done.jsonValue()) - started);
  }
  result.photo_shown_ms = summary(shown);
  await context.close();
} catch (e) {
  result.error = String(e?.stack ?? e);
} finally {
  await browser.close();
  await server.stop();
}
const text = JSON.stringify(result, null, 2);
if (values.out) writeFileSync(values.out, text);
console.log(text);
if (result.error) process.exit(1);
